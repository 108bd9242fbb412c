package io.cortex.actors;

import static java.util.Map.entry;

import io.cortex.actors.neuron.MinerActor;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.protocol.serialization.KryoRegistrar;
import java.util.Map;

/** The neuron messages that cross nodes. */
public final class ActorsKryoRegistrar implements KryoRegistrar {
    /** Ids never change: a new class takes the next free id of this module's range, 400 to 499. */
    @Override
    public Map<Integer, Class<?>> classes() {
        return Map.ofEntries(
                entry(200, MinerActor.KeepAlive.class),
                entry(201, SubnetActor.GetMetagraph.class),
                entry(202, SubnetActor.Tick.class),
                entry(203, ValidatorActor.KeepAlive.class),
                entry(204, ValidatorActor.NewMetagraph.class));
    }
}

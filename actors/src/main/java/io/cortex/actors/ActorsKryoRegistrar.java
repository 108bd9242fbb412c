package io.cortex.actors;

import io.cortex.actors.neuron.MinerActor;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.protocol.serialization.KryoRegistrar;
import java.util.List;

/** The neuron messages that cross nodes. */
public final class ActorsKryoRegistrar implements KryoRegistrar {
    @Override
    public List<Class<?>> classes() {
        return List.of(MinerActor.KeepAlive.class, ValidatorActor.KeepAlive.class, ValidatorActor.NewMetagraph.class,
                SubnetActor.Tick.class, SubnetActor.GetMetagraph.class);
    }
}

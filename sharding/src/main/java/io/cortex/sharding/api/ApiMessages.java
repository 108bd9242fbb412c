package io.cortex.sharding.api;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.protocol.api.Hyperparameter;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.SubnetReply;
import io.cortex.protocol.api.SubnetSummary;

/** Ledger views as the API's protobuf messages. */
final class ApiMessages {

    private ApiMessages() {
    }

    /**
     * The metagraph, or a page of it, of a subnet of {@code uids} uids; each neuron marked hosted when the node's
     * plan runs it (a hosted dev neuron).
     */
    static io.cortex.protocol.api.Metagraph metagraph(Metagraph m, int uids, NetworkPlan plan) {
        io.cortex.protocol.api.Metagraph.Builder b = io.cortex.protocol.api.Metagraph.newBuilder().setN(uids)
                .setNetuid(m.netuid()).setBlock(m.block()).setEpochIndex(m.epochIndex())
                .setLastEpochBlock(m.lastEpochBlock()).setTempo(m.tempo()).setCommitReveal(m.commitReveal())
                .setWeightsRateLimit(m.weightsRateLimit()).setRevealPeriod(m.revealPeriod())
                .setOwnerHotkey(m.ownerHotkey().toString()).setPrice(m.price()).setLeaveOneOut(m.leaveOneOut());
        for (Metagraph.Neuron n : m.neurons()) {
            b.addNeurons(Neuron.newBuilder().setUid(n.uid()).setHotkey(n.hotkey().toString())
                    .setColdkey(n.coldkey() == null ? "" : n.coldkey().toString()).setStake(n.stake())
                    .setAxon(n.axon()).setValidatorPermit(n.validatorPermit()).setIncentive(n.incentive())
                    .setDividends(n.dividends()).setConsensus(n.consensus()).setValidatorTrust(n.validatorTrust())
                    .setEmission(n.emission()).setLastUpdate(n.lastUpdate()).setRegisteredAt(n.registeredAt())
                    .setActive(n.active()).setHosted(plan.placement(n.hotkey()) != null));
        }
        return b.build();
    }

    static SubnetSummary summary(LedgerViews.SubnetSummary s, NetworkPlan plan) {
        String mechanism = s.netuid() >= 1 && s.netuid() <= plan.subnets().size()
                ? plan.subnet(s.netuid()).mechanism() : "";
        return SubnetSummary.newBuilder().setNetuid(s.netuid()).setOwnerColdkey(s.ownerColdkey().toString())
                .setOwnerHotkey(s.ownerHotkey().toString()).setStarted(s.started()).setN(s.n()).setTempo(s.tempo())
                .setEpochIndex(s.epochIndex()).setLastEpochBlock(s.lastEpochBlock()).setPrice(s.price())
                .setTaoReserve(s.taoReserve()).setAlphaReserve(s.alphaReserve()).setBurn(s.burn())
                .setMechanism(mechanism).setDemandPerBlock(s.demandPerBlock()).setEmissionShare(s.emissionShare())
                .setEmissionReason(s.emissionReason()).setMovingPrice(s.movingPrice()).setNetTaoFlow(s.netTaoFlow()).build();
    }

    static SubnetReply subnet(LedgerViews.SubnetDetail d, NetworkPlan plan) {
        SubnetReply.Builder b = SubnetReply.newBuilder().setSummary(summary(d.summary(), plan))
                .setMetagraph(metagraph(d.metagraph(), d.summary().n(), plan));
        for (int i = 0; i < d.hyperparameterNames().size(); i++) {
            String name = d.hyperparameterNames().get(i);
            SubnetHyperparameters.Parameter p = SubnetHyperparameters.parameter(name);
            b.addHyperparameters(Hyperparameter.newBuilder().setName(name).setValue(d.hyperparameterValues()[i])
                    .setRootOnly(p != null && p.rootOnly()).setMeaning(p == null ? "" : p.meaning()));
        }
        return b.build();
    }
}

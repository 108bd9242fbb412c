package io.cortex.ledger.actor;

import io.cortex.ledger.audit.EpochPayout;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.EmissionShare;
import io.cortex.ledger.state.HotkeyStake;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.core.identity.Address;
import io.cortex.core.message.CortexMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the ledger answers about itself to the API and tools: immutable views of accounts, subnets, epochs and
 * the chain, made from the state at the moment of asking. All are cluster messages (Kryo); none holds a
 * reference into the state.
 */
public final class LedgerViews {

    private LedgerViews() {
    }

    /** Alpha a coldkey holds on a hotkey of a subnet, and what it is worth in TAO at the spot price. */
    public record StakePosition(int netuid, Address hotkey, long alpha, long taoValue) implements CortexMessage {
    }

    public record Account(Address address, long balance, long nonce, List<StakePosition> stakes) implements CortexMessage {
        public static Account of(LedgerState state, Address coldkey) {
            List<StakePosition> stakes = new ArrayList<>();
            for (Subnet s : state.subnets().values()) {
                for (Map.Entry<Address, HotkeyStake> e : s.stakes().entrySet()) {
                    long alpha = e.getValue().valueOf(coldkey);
                    if (alpha > 0) {
                        stakes.add(new StakePosition(s.netuid(), e.getKey(), alpha, (long) Math.floor(alpha * s.price())));
                    }
                }
            }
            return new Account(coldkey, state.balance(coldkey), state.nonce(coldkey), stakes);
        }
    }

    /**
     * A subnet at a glance. {@code emissionShare} is its share of the next block's TAO emission as the
     * ledger's emission policy gives it, and {@code emissionReason} the policy's reason in a line.
     */
    public record SubnetSummary(int netuid, Address ownerColdkey, Address ownerHotkey, boolean started, int n, int tempo,
                                long epochIndex, long lastEpochBlock, double price, long taoReserve, long alphaReserve,
                                long burn, double demandPerBlock, double emissionShare, String emissionReason,
                                double movingPrice, double netTaoFlow) implements CortexMessage {
        public static SubnetSummary of(LedgerState state, Subnet s) {
            return of(state, s, state.emissionShares().get(s.netuid()));
        }

        static SubnetSummary of(LedgerState state, Subnet s, EmissionShare share) {
            return new SubnetSummary(s.netuid(), s.ownerColdkey(), s.ownerHotkey(), s.started(), s.size(),
                    s.hyperparameters().tempo(), s.epochIndex(), s.lastEpochBlock(), s.price(), s.taoReserve(),
                    s.alphaReserve(), s.burn(), state.demandPerBlock(s.netuid()), share == null ? 0 : share.share(),
                    share == null ? "" : share.reason(), share == null ? 0 : share.movingPrice(),
                    share == null ? 0 : share.netTaoFlow());
        }
    }

    /** All subnets but root, and the emission policy that splits the block emission across them. */
    public record SubnetList(List<SubnetSummary> subnets, String emissionPolicy) implements CortexMessage {
        public static SubnetList of(LedgerState state) {
            Map<Integer, EmissionShare> shares = state.emissionShares();
            List<SubnetSummary> list = new ArrayList<>();
            for (Subnet s : state.subnets().values()) {
                if (!s.isRoot()) {
                    list.add(SubnetSummary.of(state, s, shares.get(s.netuid())));
                }
            }
            return new SubnetList(list, state.config().emissionPolicy().name());
        }
    }

    /** The answer to a question about one subnet or one of its epochs. */
    public sealed interface SubnetAnswer extends CortexMessage permits SubnetDetail, MetagraphPage, EpochView, Missing, Overtaken {
    }

    /** Nothing to show: no such subnet, or an epoch not (or no longer) kept. */
    public record Missing(String reason) implements SubnetAnswer {
    }

    /**
     * A subnet: summary, hyper-parameters (names and values in name order) and its metagraph's first
     * {@link MetagraphPages#MOST} uids (the summary's {@code n} says how many there are; the rest come by page).
     */
    public record SubnetDetail(SubnetSummary summary, List<String> hyperparameterNames, long[] hyperparameterValues,
                               Metagraph metagraph) implements SubnetAnswer {
        public static SubnetDetail of(LedgerState state, Subnet s) {
            Map<String, Long> byName = s.hyperparameters().values();
            List<String> names = new ArrayList<>(byName.keySet());
            long[] values = new long[names.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = byName.get(names.get(i));
            }
            return new SubnetDetail(SubnetSummary.of(state, s), names, values,
                    Metagraph.of(state, s.netuid(), 0, Math.min(s.size(), MetagraphPages.MOST)));
        }
    }

    /** A page of a subnet's metagraph ({@link LedgerActor.GetMetagraphPage}), of the {@code n} uids it has. */
    public record MetagraphPage(Metagraph page, int n) implements SubnetAnswer {
    }

    /** A paged reading overtaken by blocks: the metagraph of its block is no longer held; read it again. */
    public record Overtaken(String reason) implements SubnetAnswer {
    }

    /**
     * One recorded epoch: its input and output in the audit JSON of epoch-io.md, the input's hash, and what it
     * paid ({@link EpochPayout}).
     */
    public record EpochView(int netuid, long block, long epochIndex, String inputHash, byte[] inputJson,
                            byte[] outputJson, long[] minerPaid, long[] validatorPaid, long validatorPot,
                            long validatorWeightSum, long ownerCut, long burned) implements SubnetAnswer {
        public static EpochView of(EpochRecord r) {
            EpochPayout p = r.payout();
            return new EpochView(r.netuid(), r.block(), r.epochIndex(), r.inputHashHex(), EpochJson.inputBytes(r.input()),
                    EpochJson.outputBytes(r.output()), p.miner(), p.validator(), p.validatorPot(), p.validatorWeightSum(),
                    p.ownerCut(), p.burned());
        }

        public EpochPayout payout() {
            return new EpochPayout(minerPaid, validatorPaid, validatorPot, validatorWeightSum, ownerCut, burned);
        }
    }

    /** The chain now. */
    /**
     * The chain now, and where the ledger stood when it last started: {@code recoveredHeight} and
     * {@code recoveredStateHash} (0 and the genesis hash for a new ledger); {@code ledgerAddress}, the actor
     * system (node) the ledger runs on.
     */
    public record Status(long height, String stateHash, long totalIssuance, int subnets, long epochsRun,
                         long blockTimeMillis, List<String> conservationViolations, long recoveredHeight,
                         String recoveredStateHash, String ledgerAddress) implements CortexMessage {
    }

    /**
     * Published on {@link LedgerActor#BLOCKS_TOPIC} after every block: with the epochs it ran, how long
     * applying it took (epochs included) and how long the journal took to write it (the node's metrics); the
     * block's TAO emission, and the TAO it minted into each subnet's pool ({@code taoIn[i]} into subnet
     * {@code taoInNetuids[i]}: the subnets' shares of it, what the dashboard charts).
     */
    public record BlockEvent(long height, long timestampMillis, int transactions, int rejected, String stateHash,
                             int epochs, long applyMicros, long journalWriteMicros, long blockEmission,
                             int[] taoInNetuids, long[] taoIn, long[] epochMicros)
            implements CortexMessage {
    }

    /** Published on {@link LedgerActor#EPOCHS_TOPIC} after every epoch of every subnet. */
    public record EpochEvent(Metagraph metagraph, long emission, long[] paid, String inputHash) implements CortexMessage {
    }
}

-- The epoch archive (EpochArchive): every epoch a ledger ran, for explain and epoch of any of them; ledger is
-- the ledger's persistence id, as in the journal, so that ledgers sharing a database keep apart.
-- payout: the miners' and validators' payouts and the pot, weight sum, owner cut and burn (JdbcEpochArchive).
CREATE TABLE IF NOT EXISTS PUBLIC."cortex_epoch" (
    "ledger" VARCHAR(255) NOT NULL,
    "netuid" INTEGER NOT NULL,
    "epoch_index" BIGINT NOT NULL,
    "block" BIGINT NOT NULL,
    "input_hash" VARCHAR(64) NOT NULL,
    "input_json" BLOB NOT NULL,
    "output_json" BLOB NOT NULL,
    "payout" BLOB NOT NULL,
    PRIMARY KEY ("ledger", "netuid", "epoch_index")
);

package io.cortex.deploy.cli;

import io.cortex.core.identity.Address;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.BalanceReply;

/** A command that reads the balance (free TAO, nonce, stakes) of a wallet's coldkey or of any address. */
abstract class BalanceRead extends ReadCommand<BalanceReply> {
    @Override
    final BalanceReply read(Api api) {
        Address address = Wallets.standard().coldkeyAddress(who());
        return api.call(api.ledger().balance(AccountRequest.newBuilder().setAddress(address.toString()).build()));
    }

    /** The wallet's name, or an address. */
    abstract String who();
}

package dev.citadel.crypto;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;

/** Small keyset operations written once: adding a new primary key while keeping the old ones. */
final class Keysets {

    private Keysets() {}

    /** A copy of {@code handle} with a fresh key of {@code parameters} as primary; older keys stay enabled. */
    static KeysetHandle withNewPrimary(KeysetHandle handle, Parameters parameters) throws GeneralSecurityException {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
        builder.addEntry(KeysetHandle.generateEntryFromParameters(parameters).withRandomId());
        builder.getAt(builder.size() - 1).makePrimary();
        return builder.build();
    }
}

package dev.citadel.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value (password, client secret, passphrase, refresh token). Its {@code toString} is
 * redacted, it is not a bean Jackson can serialise, and equality is constant-time.
 *
 * <p>Security guarantees: the value leaves this object only through {@link #reveal()}, whose
 * callers are the few places that hash, verify or hand the secret to its owner once.
 */
@tools.jackson.databind.annotation.JsonSerialize(using = Secret.RefuseToSerialize.class)
public final class Secret {

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null) {
            throw new IllegalArgumentException("secret must not be null");
        }
        return new Secret(value.toCharArray());
    }

    /** The secret's characters; do not log, print or store them unprotected. */
    public String reveal() {
        return new String(value);
    }

    public byte[] utf8() {
        return reveal().getBytes(StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Constant-time comparison with another secret. */
    public boolean matches(Secret other) {
        return other != null && MessageDigest.isEqual(utf8(), other.utf8());
    }

    /** Overwrites the characters; the secret is unusable afterwards. */
    public void destroy() {
        Arrays.fill(value, '\0');
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }

    /** Makes every Jackson mapper fail rather than write a secret into JSON. */
    static final class RefuseToSerialize extends tools.jackson.databind.ValueSerializer<Secret> {
        @Override
        public void serialize(Secret value, tools.jackson.core.JsonGenerator generator,
                tools.jackson.databind.SerializationContext context) {
            throw tools.jackson.databind.exc.InvalidDefinitionException.from(generator,
                    "secrets are never serialised", context.constructType(Secret.class));
        }
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof Secret other && matches(other);
    }

    @Override
    public int hashCode() {
        return 0;
    }
}

package dev.citadel.platform.config;

import org.springframework.stereotype.Component;

import dev.citadel.platform.Secret;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Lets request records declare {@link Secret} fields (passwords, client secrets): a JSON string
 * becomes a {@code Secret} straight away. There is deliberately no serializer, so a secret can
 * never be written into a response by accident — Jackson fails instead.
 */
@Component
public class SecretJacksonModule extends SimpleModule {

    /** Upper bound on any secret in a request body; longer values are refused before hashing. */
    public static final int MAX_SECRET_LENGTH = 1024;

    public SecretJacksonModule() {
        super("citadel-secrets");
        addDeserializer(Secret.class, new ValueDeserializer<>() {
            @Override
            public Secret deserialize(JsonParser parser, DeserializationContext context) {
                if (parser.currentToken() != JsonToken.VALUE_STRING) {
                    return context.reportInputMismatch(Secret.class, "expected a string");
                }
                String value = parser.getString();
                if (value.length() > MAX_SECRET_LENGTH) {
                    return context.reportInputMismatch(Secret.class, "too long");
                }
                return Secret.of(value);
            }
        });
    }
}

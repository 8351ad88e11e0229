package dev.citadel.platform.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

import dev.citadel.platform.Secret;

/** Binds configuration values straight into {@link Secret}, so they never sit in a plain String field. */
@Component
@ConfigurationPropertiesBinding
class SecretConverter implements Converter<String, Secret> {

    @Override
    public Secret convert(String source) {
        return source.isEmpty() ? null : Secret.of(source);
    }
}

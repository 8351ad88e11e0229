package dev.citadel.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.citadel.deployments.runtime.EncodedInstance;
import dev.citadel.deployments.runtime.InstanceEncoder;
import dev.citadel.deployments.runtime.ModelCache;
import dev.citadel.deployments.runtime.Prediction;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;

/**
 * The serving benchmark's baseline: {@code POST /bench/unsecured/{tenant}/{model}/{version}} answers
 * from the server's own {@link ModelCache}, {@link InstanceEncoder} and model runtime, with no token,
 * authorisation, rate limit, bulkhead, extraction monitor or audit. It lives only in the bench module
 * and is added as a source by {@link ServingBenchmark} when it starts Citadel; the server jar never
 * contains it. Its security filter chain matches only {@code /bench/**} and permits everything.
 */
@Configuration(proxyBeanMethods = false)
class UnsecuredEndpoint {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain benchUnsecured(HttpSecurity http) throws Exception {
        return http.securityMatcher("/bench/**")
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> benchUnsecuredRoute(ModelCache cache) {
        return RouterFunctions.route().POST("/bench/unsecured/{tenant}/{model}/{version}",
                request -> predict(cache, request)).build();
    }

    /** The request body: the same shape as the secured endpoint's. */
    record Body(List<Map<String, Object>> instances) {}

    private static ServerResponse predict(ModelCache cache, ServerRequest request) throws Exception {
        Body body = request.body(Body.class);
        ModelCache.Key key = new ModelCache.Key(new TenantId(request.pathVariable("tenant")),
                request.pathVariable("model"), Integer.parseInt(request.pathVariable("version")));
        try (ModelCache.InUse inUse = cache.acquire(key)) {
            List<Prediction> predictions = predict(inUse, body.instances());
            if (predictions == null) {
                return ServerResponse.badRequest().build();
            }
            List<Object> labels = new ArrayList<>(predictions.size());
            predictions.forEach(p -> labels.add(p.label()));
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("predictions", labels));
        }
    }

    /** Encode and predict, as the secured path does; null when an instance is invalid. */
    static List<Prediction> predict(ModelCache.InUse inUse, List<Map<String, Object>> instances) {
        InstanceEncoder encoder = inUse.model().encoder(InstanceEncoder.UnknownCategories.REJECT);
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        List<EncodedInstance> encoded = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            encoded.add(encoder.encode(instances.get(i), i, problems));
        }
        return problems.isEmpty() ? inUse.model().runtime().predict(encoded) : null;
    }
}

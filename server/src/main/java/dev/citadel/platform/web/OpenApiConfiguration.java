package dev.citadel.platform.web;

import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI 3.1 document at {@code /v3/api-docs} (operators only). Every operation declares the
 * problem responses it can give: 401 and 429 for all, 403 for protected ones, 404 for tenant-scoped.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(TenantScope.class);
    }

    private static final String PROBLEM = "#/components/schemas/Problem";

    @Bean
    OpenAPI citadelOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Citadel API").version("v1")
                        .description("Secure multi-tenant machine-learning platform. Errors are RFC 9457 problems "
                                + "with a stable `code` (docs/errors.md).")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT"))
                        .addSchemas("Problem", problemSchema()))
                .servers(java.util.List.of(new io.swagger.v3.oas.models.servers.Server().url("/")
                        .description("this Citadel installation")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            boolean open = handler.hasMethodAnnotation(PublicEndpoint.class);
            boolean tenantScoped = handler.getMethod().getDeclaringClass()
                    .getAnnotation(org.springframework.web.bind.annotation.RequestMapping.class) instanceof
                    org.springframework.web.bind.annotation.RequestMapping mapping
                    && java.util.Arrays.stream(mapping.value()).anyMatch(path -> path.contains("{tenant}"));
            var responses = operation.getResponses();
            responses.addApiResponse("400", problem("Invalid request (problem+json with a stable code)"));
            responses.addApiResponse("401", problem("Missing, invalid, expired or revoked credentials"));
            responses.addApiResponse("429", problem("Too many requests or attempts; see Retry-After"));
            if (open) {
                operation.setSecurity(java.util.List.of());
            } else {
                responses.addApiResponse("403", problem("The caller's roles do not allow this action"));
            }
            if (tenantScoped || !open) {
                responses.addApiResponse("404", problem("No such resource — also the answer for tenants the caller is not a member of"));
            }
            return operation;
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref(PROBLEM))));
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().maxLength(200))
                .addProperty("title", new StringSchema().maxLength(200))
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema().maxLength(1000))
                .addProperty("instance", new StringSchema().maxLength(2000))
                .addProperty("code", new StringSchema().maxLength(64).description("Stable error code, see docs/errors.md"))
                .addProperty("requestId", new StringSchema().maxLength(64))
                .addProperty("errorId", new StringSchema().maxLength(64).description("Present on 5xx; quote it to the operator"))
                .addProperty("error", new StringSchema().maxLength(64).description("RFC 6749 error on token-endpoint failures"))
                .addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().maxItems(100)
                        .items(new ObjectSchema()
                                .addProperty("field", new StringSchema().maxLength(200))
                                .addProperty("message", new StringSchema().maxLength(500))));
    }
}

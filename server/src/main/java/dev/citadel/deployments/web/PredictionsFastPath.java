package dev.citadel.deployments.web;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.Validator;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.citadel.deployments.Predictions;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.web.RequestIds;
import dev.citadel.tenancy.TenantAccess;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Online predictions without Spring MVC's per-request machinery: the hot endpoint
 * {@code POST /api/v1/tenants/{tenant}/deployments/{name}/predictions} is answered here, after every
 * other filter (request id, metrics, Spring Security, the body cap), instead of in
 * {@link DeploymentsController#predict}.
 *
 * <p>MVC's routing tries every mapping against each request and its argument and return-value
 * handling is general; on a one-instance request that was a quarter of the secured path's CPU
 * (docs/benchmarks.md). This filter does the same steps, in the same order, with the same
 * components: the access check declared on the controller method ({@link TenantAction}, by
 * {@link TenantAccess}), the application's JSON mapper for the body, MVC's own validator for the
 * body's constraints, and MVC's exception resolvers — so every refusal is the very problem response
 * the controller path gives. Requests it does not fully understand (another content type or charset,
 * an {@code Accept} header that needs negotiating, path variables longer than the controller
 * allows) are passed on untouched to MVC, which answers them as before.
 *
 * <p>Keep in step: a handler interceptor or body advice added for every MVC handler does not run
 * here; add its step to {@link #answer} as well ({@code PredictionsFastPathTest} compares both
 * routes; ADR 0040).
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class PredictionsFastPath extends OncePerRequestFilter implements SmartInitializingSingleton {

    static final String PATTERN = "/api/v1/tenants/{tenant}/deployments/{name}/predictions";
    private static final PathPattern PATH = PathPatternParser.defaultInstance.parse(PATTERN);
    private static final int MAX_TENANT = 40;
    private static final int MAX_NAME = 64;

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private final ObjectProvider<HandlerExceptionResolver> resolvers;
    private final ObjectProvider<Validator> validators;
    private final ObjectProvider<JsonMapper> json;
    private final ObjectProvider<TenantAccess> access;
    private final ObjectProvider<Predictions> predictions;
    private volatile Wiring wiring;
    /** Requests this filter answered itself (tests check that it does). */
    private final LongAdder answered = new LongAdder();

    /** Everything resolved once the context is complete (filters are made before MVC's beans). */
    private record Wiring(HandlerMethod handler, MethodParameter body, TenantAction declared,
            HandlerExceptionResolver resolver, Validator validator, ObjectReader reader, JsonMapper json,
            TenantAccess access, Predictions predictions) {}

    PredictionsFastPath(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings,
            @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> resolvers,
            @Qualifier("mvcValidator") ObjectProvider<Validator> validators, ObjectProvider<JsonMapper> json,
            ObjectProvider<TenantAccess> access, ObjectProvider<Predictions> predictions) {
        this.mappings = mappings;
        this.resolvers = resolvers;
        this.validators = validators;
        this.json = json;
        this.access = access;
        this.predictions = predictions;
    }

    /**
     * Finds the controller method this filter stands in for; a web application does not start
     * without it. A context without MVC (the offline commands, such as restore) serves nothing.
     */
    @Override
    public void afterSingletonsInstantiated() {
        RequestMappingHandlerMapping mapping = mappings.getIfAvailable();
        if (mapping == null) {
            return;
        }
        HandlerMethod handler = null;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            if (entry.getKey().getPatternValues().contains(PATTERN)
                    && entry.getKey().getMethodsCondition().getMethods().contains(
                            RequestMethod.POST)) {
                handler = entry.getValue();
            }
        }
        if (handler == null || handler.getMethodAnnotation(TenantAction.class) == null) {
            throw new IllegalStateException("no POST " + PATTERN + " handler with a @TenantAction to stand in for");
        }
        MethodParameter body = null;
        for (MethodParameter parameter : handler.getMethodParameters()) {
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                body = parameter;
            }
        }
        if (body == null || body.getParameterType() != DeploymentsController.PredictionBody.class) {
            throw new IllegalStateException("the predictions handler no longer takes a PredictionBody");
        }
        JsonMapper mapper = json.getObject();
        wiring = new Wiring(handler, body, handler.getMethodAnnotation(TenantAction.class), resolvers.getObject(),
                validators.getObject(), mapper.readerFor(DeploymentsController.PredictionBody.class), mapper,
                access.getObject(), predictions.getObject());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().endsWith("/predictions");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Wiring wired = wiring;
        Map<String, String> variables = wired == null ? null : variables(request);
        if (variables == null || !json(request) || !acceptsJson(request)) {
            chain.doFilter(request, response);
            return;
        }
        answered.increment();
        // what MVC's mapping records for the metrics, the observation and the access check
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, PATTERN);
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, variables);
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, wired.handler());
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(context -> context.setPathPattern(PATTERN));
        Predictions.PredictionResponse answer;
        try {
            answer = answer(wired, request, variables);
        } catch (Exception e) {
            if (wired.resolver().resolveException(request, response, wired.handler(), e) != null) {
                return;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw e instanceof ServletException servlet ? servlet : new ServletException(e);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        wired.json().writeValue(response.getOutputStream(), answer);
    }

    long answered() {
        return answered.sum();
    }

    /** The access check, the body, its constraints, then the prediction: the controller path's order. */
    private Predictions.PredictionResponse answer(Wiring wired, HttpServletRequest request, Map<String, String> variables)
            throws Exception {
        TenantScope scope = wired.access().authorize(Principals.current().orElseThrow(() -> new CitadelException(
                ErrorCode.AUTH_UNAUTHENTICATED, "Authentication required.")), variables.get("tenant"),
                wired.declared().value());
        MDC.put(RequestIds.MDC_TENANT, scope.tenant().value());
        DeploymentsController.PredictionBody body;
        try {
            body = wired.reader().readValue(request.getInputStream());
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("The request body is not a prediction request.", e,
                    new ServletServerHttpRequest(request));
        }
        if (body == null) {
            throw new HttpMessageNotReadableException("The request body is missing.", new ServletServerHttpRequest(request));
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(body, "predictionBody");
        wired.validator().validate(body, errors);
        if (errors.hasErrors()) {
            throw new MethodArgumentNotValidException(wired.body(), errors);
        }
        return wired.predictions().predict(scope.tenant(), variables.get("name"), body.instances());
    }

    /** The path's variables, decoded as MVC decodes them; null when this is not the endpoint or MVC must validate them. */
    private static Map<String, String> variables(HttpServletRequest request) {
        PathContainer path = ServletRequestPathUtils.hasParsedRequestPath(request)
                ? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
                : RequestPath.parse(request.getRequestURI(), request.getContextPath())
                        .pathWithinApplication();
        PathPattern.PathMatchInfo match = PATH.matchAndExtract(path);
        if (match == null) {
            return null;
        }
        Map<String, String> variables = match.getUriVariables();
        String tenant = variables.get("tenant");
        String name = variables.get("name");
        return tenant == null || name == null || tenant.length() > MAX_TENANT || name.length() > MAX_NAME ? null
                : variables;
    }

    /** {@code application/json}, in UTF-8 (JSON's own encoding) or with no charset named. */
    private static boolean json(HttpServletRequest request) {
        String header = request.getContentType();
        if (header == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(header);
            String charset = type.getParameter("charset");
            return type.getType().equals("application") && type.getSubtype().equals("json")
                    && type.getParameters().size() == (charset == null ? 0 : 1)
                    && (charset == null || charset.replace("\"", "").equalsIgnoreCase("utf-8"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** No {@code Accept}, or one that names JSON (or anything) without preferences to weigh. */
    private static boolean acceptsJson(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (headers.isEmpty()) {
            return true;
        }
        try {
            List<MediaType> types = MediaType.parseMediaTypes(headers);
            boolean json = false;
            for (MediaType type : types) {
                if (!type.getParameters().isEmpty()) {
                    return false;
                }
                json |= type.isCompatibleWith(MediaType.APPLICATION_JSON);
            }
            return json;
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}

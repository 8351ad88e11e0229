package dev.citadel.compliance.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * Compiles and evaluates policy expressions with Google's CEL (ADR 0030). An expression sees one
 * variable, {@code input} (a map), must be type-checked to a boolean, is at most 4,096 characters
 * and may iterate at most 10,000 times in its macros: CEL has no loops, I/O or side effects, so a
 * policy cannot do anything but answer.
 */
@Component
public class PolicyEngine {

    public static final int MAX_EXPRESSION = 4096;

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_EXPRESSION)
            .maxParseRecursionDepth(64)
            .comprehensionMaxIterations(10_000)
            .build();

    private final CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("input", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    /** A policy expression that compiled. */
    public record Compiled(String expression, CelRuntime.Program program) {

        /** The outcome: holds, does not hold, or could not be evaluated (which counts as not holding). */
        public Result evaluate(Map<String, Object> input) {
            try {
                Object value = program.eval(Map.of("input", celValue(input)));
                return value instanceof Boolean b ? new Result(b, null) : new Result(false, "not a boolean");
            } catch (CelEvaluationException | RuntimeException e) {
                return new Result(false, describe(e));
            }
        }
    }

    /** Whether the policy holds; {@code error} says why it could not be evaluated. */
    public record Result(boolean holds, String error) {}

    /** Thrown with the compiler's message when an expression does not compile. */
    public static final class InvalidExpression extends Exception {
        InvalidExpression(String message) {
            super(message, null, false, false);
        }
    }

    public Compiled compile(String expression) throws InvalidExpression {
        if (expression == null || expression.isBlank()) {
            throw new InvalidExpression("the expression is empty");
        }
        if (expression.length() > MAX_EXPRESSION) {
            throw new InvalidExpression("the expression is longer than " + MAX_EXPRESSION + " characters");
        }
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            throw new InvalidExpression(result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Compiled(expression, runtime.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidExpression(e.getMessage());
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    /** CEL's value model: 64-bit integers, doubles, strings, booleans, lists and string-keyed maps; nulls are left out. */
    static Object celValue(Object value) {
        return switch (java.util.Objects.requireNonNull(value)) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case BigInteger i -> i.longValue();
            case Map<?, ?> map -> {
                Map<String, Object> converted = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    if (v != null) { // absent, so has() answers false
                        converted.put(String.valueOf(k), celValue(v));
                    }
                });
                yield converted;
            }
            case Collection<?> list -> {
                List<Object> converted = new ArrayList<>(list.size());
                list.stream().filter(java.util.Objects::nonNull).forEach(v -> converted.add(celValue(v)));
                yield converted;
            }
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            case String s -> s;
            default -> value.toString();
        };
    }
}

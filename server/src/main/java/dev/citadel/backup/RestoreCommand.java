package dev.citadel.backup;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code java -jar citadel-server.jar restore [--backup=<id>] [--citadel.…]}: rebuilds this
 * installation from a backup in the configured target into an empty database and object store,
 * then verifies it, and exits 0 only when every check held.
 *
 * <p>It runs in two fresh application contexts, neither serving HTTP nor taking jobs: the first
 * loads the rows and copies the blobs (opening nothing but the backup's keys, so nothing is written
 * before the restored rows are in place); the second starts on the restored data like a server
 * would and verifies the manifest's signature, every blob against its digests, every audit chain
 * and every model's signature.
 */
public final class RestoreCommand {

    /** Set while restoring: start-up work that writes (the bootstrap administrator) stands aside. */
    public static final String RUNNING = "citadel.restore.running";

    private RestoreCommand() {}

    public static int run(Class<?> application, String[] args, PrintStream out) {
        String backup = null;
        List<String> passed = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--backup=")) {
                backup = arg.substring("--backup=".length());
            } else {
                passed.add(arg);
            }
        }
        String[] springArgs = passed.toArray(String[]::new);
        RestoreLoader.Loaded loaded;
        try (ConfigurableApplicationContext context = start(application, springArgs, true)) {
            loaded = context.getBean(RestoreLoader.class).load(backup, out);
        } catch (RestoreException e) {
            out.println("restore: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            out.println("restore failed: " + rootMessage(e));
            return 1;
        }
        try (ConfigurableApplicationContext context = start(application, springArgs, false)) {
            RestoreVerifier.Report report = context.getBean(RestoreVerifier.class).verify(loaded, out);
            if (!report.problems().isEmpty()) {
                out.println("restore: FAILED verification — do not use this installation:");
                report.problems().forEach(problem -> out.println("  - " + problem));
                return 2;
            }
            out.println("restore: backup " + loaded.backup() + " restored and verified: " + report.summary());
            return 0;
        } catch (RuntimeException e) {
            out.println("restore: verification failed: " + rootMessage(e));
            return 2;
        }
    }

    /**
     * Start-up listeners that would open keys or write rows (the bootstrap administrator, the
     * audit checkpointer) — left out of the loading context, which must find the database empty
     * and leave nothing in it but the backup's rows.
     */
    private static final java.util.Set<String> WRITING_AT_START_UP = java.util.Set.of("bootstrapAdmin", "auditCheckpoints",
            "cipherWarmup");

    private static ConfigurableApplicationContext start(Class<?> application, String[] args, boolean loading) {
        SpringApplication app = new SpringApplication(application);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setLazyInitialization(true);
        app.setBannerMode(Banner.Mode.OFF);
        // above every other source: a restore never takes jobs, whatever the environment says
        app.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("restore", Map.of(RUNNING, "true", "citadel.jobs.enabled", "false"))));
        if (loading) {
            app.addInitializers(context -> context.addBeanFactoryPostProcessor(factory -> {
                var registry = (org.springframework.beans.factory.support.BeanDefinitionRegistry) factory;
                WRITING_AT_START_UP.stream().filter(registry::containsBeanDefinition).forEach(registry::removeBeanDefinition);
                // scheduled beans are normally exempt from lazy initialisation; here nothing runs on a schedule
                for (String name : factory.getBeanNamesForType(
                        org.springframework.boot.LazyInitializationExcludeFilter.class, true, false)) {
                    registry.removeBeanDefinition(name);
                }
            }));
        }
        return app.run(args);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
    }

    /** A restore that cannot go ahead, with the reason to show the operator. */
    static final class RestoreException extends RuntimeException {
        RestoreException(String message) {
            super(message);
        }
    }
}

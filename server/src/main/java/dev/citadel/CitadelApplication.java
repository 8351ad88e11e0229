package dev.citadel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Citadel: a secure, multi-tenant machine-learning platform in one Spring Boot application. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CitadelApplication {

    /** Starts the server; {@code restore [--backup=<id>] [--citadel.…]} rebuilds it from a backup instead. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("restore")) {
            System.exit(dev.citadel.backup.RestoreCommand.run(CitadelApplication.class,
                    java.util.Arrays.copyOfRange(args, 1, args.length),
                    dev.citadel.platform.web.ConsoleAnnouncer.console()));
        }
        SpringApplication.run(CitadelApplication.class, args);
    }
}

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

    public static void main(String[] args) {
        SpringApplication.run(CitadelApplication.class, args);
    }
}

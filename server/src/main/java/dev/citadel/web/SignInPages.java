package dev.citadel.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.citadel.identity.ConsoleSessions;
import dev.citadel.platform.Secret;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.errors.CitadelException;
import io.swagger.v3.oas.annotations.Hidden;

/** Signing in to and out of the console. */
@Controller
@Hidden
class SignInPages {

    private final ConsoleSessions sessions;

    SignInPages(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/console/login")
    @PublicEndpoint
    String loginPage() {
        return Principals.current().isPresent() ? "redirect:/console" : "console/login";
    }

    /** The API's sign-in (same throttling, same audit, same single error for every failure). */
    @PostMapping("/console/login")
    @PublicEndpoint
    String login(@RequestParam @Size(max = 128) String username, @RequestParam @Size(max = 1024) String password,
            @RequestParam(required = false) @Size(max = 16) String totp, HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
            Model model) {
        try {
            sessions.signIn(request, username, Secret.of(password), totp == null || totp.isBlank() ? null : totp.strip());
        } catch (CitadelException e) {
            response.setStatus(e.code().status().value());
            model.addAttribute("error", e.detail());
            model.addAttribute("username", username);
            return "console/login";
        }
        return "redirect:/console";
    }

    @PostMapping("/console/logout")
    @SelfService
    String logout(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/console/login?signedOut";
    }
}

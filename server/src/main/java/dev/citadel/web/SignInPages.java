package dev.citadel.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

import dev.citadel.identity.ConsoleSessions;
import dev.citadel.platform.Secret;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;

/** Signing in to and out of the console: password + TOTP, or an external OpenID Connect provider. */
@Controller
@Hidden
class SignInPages {

    private static final String PROVIDER = "[a-z0-9][a-z0-9-]{0,62}";

    private final ConsoleSessions sessions;

    SignInPages(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** The "Sign in with …" buttons: only providers with a console client registration. */
    @ModelAttribute("providers")
    List<ConsoleSessions.Provider> providers() {
        return sessions.oidcProviders();
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
            @RequestParam(required = false) @Size(max = 16) String totp, HttpServletRequest request, HttpServletResponse response,
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

    /** Sends the browser to the provider, with a fresh state, nonce and PKCE challenge bound to this session. */
    @GetMapping("/console/login/oidc/{provider}")
    @PublicEndpoint
    Object startOidc(@PathVariable @Pattern(regexp = PROVIDER) String provider, HttpServletRequest request,
            HttpServletResponse response, Model model) {
        try {
            RedirectView toProvider = new RedirectView(sessions.beginOidc(request, provider).toString());
            toProvider.setExposeModelAttributes(false);
            toProvider.setExpandUriTemplateVariables(false);
            return toProvider;
        } catch (CitadelException e) {
            return refused(e, response, model);
        }
    }

    /**
     * The provider's redirect back. The session cookie is {@code SameSite=Strict}, so a browser
     * coming from the provider's site does not send it: an arrival without any session cookie
     * answers a page that reloads the same callback from Citadel's own page (a same-site
     * navigation, which carries the cookie), touching no session. The second arrival is judged.
     */
    @GetMapping("/console/login/oidc/{provider}/callback")
    @PublicEndpoint
    Object oidcCallback(@PathVariable @Pattern(regexp = PROVIDER) String provider,
            @RequestParam(required = false) @Size(max = 2048) String code,
            @RequestParam(required = false) @Size(max = 512) String state,
            @RequestParam(required = false) @Size(max = 256) String error,
            @RequestParam(required = false) @Size(max = 1) String resumed,
            HttpServletRequest request, HttpServletResponse response, Model model) {
        if (resumed == null && request.getRequestedSessionId() == null
                && providers().stream().anyMatch(p -> p.name().equals(provider))) {
            Map<String, String> query = new LinkedHashMap<>();
            putIfPresent(query, "code", code);
            putIfPresent(query, "state", state);
            putIfPresent(query, "error", error);
            query.put("resumed", "1");
            model.addAttribute("next", "/console/login/oidc/" + provider + "/callback?" + query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
            return "console/login-continue";
        }
        try {
            sessions.completeOidc(request, provider, state, code, error);
        } catch (CitadelException e) {
            return refused(e, response, model);
        }
        return "redirect:/console";
    }

    @PostMapping("/console/logout")
    @SelfService
    String logout(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:/console/login?signedOut";
    }

    /** A refused provider sign-in: the sign-in page with the reason; an unknown provider is a 404 page. */
    private static String refused(CitadelException e, HttpServletResponse response, Model model) {
        if (e.code() == ErrorCode.REQUEST_NOT_FOUND) {
            throw e;
        }
        response.setStatus(e.code().status().value());
        model.addAttribute("error", e.detail());
        return "console/login";
    }

    private static void putIfPresent(Map<String, String> query, String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
    }
}

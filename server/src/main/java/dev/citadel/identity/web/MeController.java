package dev.citadel.identity.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.identity.Users;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.SelfService;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The signed-in principal: who am I, and TOTP enrolment for people. */
@RestController
@RequestMapping("/api/v1/users/me")
@Tag(name = "Users")
class MeController {

    private final Users users;

    MeController(Users users) {
        this.users = users;
    }

    record Me(String id, String kind, String name, boolean platformAdmin, boolean mfa, Boolean totpEnrolled) {}

    record TotpEnrolmentResponse(String secret, String otpauthUri) {}

    record TotpConfirmation(@NotBlank @Size(max = 16) String code) {}

    record PasswordChange(
            @io.swagger.v3.oas.annotations.media.Schema(type = "string", format = "password", maxLength = 1024,
                    requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED)
            dev.citadel.platform.Secret currentPassword,
            @io.swagger.v3.oas.annotations.media.Schema(type = "string", format = "password", minLength = 12,
                    maxLength = 128, requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED)
            dev.citadel.platform.Secret newPassword) {}

    @GetMapping
    @SelfService
    @Operation(summary = "Show the signed-in principal")
    Me me() {
        CitadelPrincipal principal = current();
        Boolean enrolled = principal.kind() == PrincipalKind.USER
                ? users.find(principal.id().value()).map(Users.UserView::mfaEnabled).orElse(false) : null;
        return new Me(principal.id().value().toString(), principal.kind().wireName(), principal.name(),
                principal.platformAdmin(), principal.mfa(), enrolled);
    }

    @PostMapping("/totp")
    @SelfService
    @Operation(summary = "Start TOTP enrolment",
            description = "Answers a new base32 secret and its otpauth:// URI; confirm with a code to activate.")
    TotpEnrolmentResponse beginTotp() {
        Users.TotpEnrolment enrolment = users.beginTotpEnrolment(userId());
        return new TotpEnrolmentResponse(enrolment.secret().reveal(), enrolment.otpauthUri());
    }

    @PostMapping("/totp/confirmation")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SelfService
    @Operation(summary = "Activate TOTP with a current code",
            description = "From then on sign-in needs the totp field, and each code works once.")
    void confirmTotp(@Valid @RequestBody TotpConfirmation confirmation) {
        users.confirmTotp(userId(), confirmation.code());
    }

    @PostMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @SelfService
    @Operation(summary = "Change your password",
            description = "Needs the current password; the new one must meet the policy. Every session, including "
                    + "this one, ends: sign in again.")
    void changePassword(@Valid @RequestBody PasswordChange change, jakarta.servlet.http.HttpServletRequest http) {
        if (change.currentPassword() == null || change.newPassword() == null) {
            throw CitadelException.invalid("newPassword", "currentPassword and newPassword are required");
        }
        users.changePassword(userId(), change.currentPassword(), change.newPassword(), http.getRemoteAddr());
    }

    private static CitadelPrincipal current() {
        return Principals.current().orElseThrow(() ->
                new CitadelException(ErrorCode.AUTH_UNAUTHENTICATED, "Authentication required."));
    }

    private static java.util.UUID userId() {
        CitadelPrincipal principal = current();
        if (principal.kind() != PrincipalKind.USER) {
            throw new CitadelException(ErrorCode.ACCESS_DENIED, "Only local users have TOTP.");
        }
        return principal.id().value();
    }
}

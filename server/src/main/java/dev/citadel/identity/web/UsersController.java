package dev.citadel.identity.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.identity.Users;
import dev.citadel.platform.Secret;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Platform administration of local user accounts. */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users")
class UsersController {

    private final Users users;

    UsersController(Users users) {
        this.users = users;
    }

    record CreateUserRequest(
            @NotBlank @Size(max = 64) String username,
            @Schema(type = "string", format = "password", minLength = 12, maxLength = 128,
                    requiredMode = Schema.RequiredMode.REQUIRED) Secret password,
            Boolean platformAdmin) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "Create a local user",
            description = "The password must satisfy the policy (12+ characters, not common or breached). "
                    + "A platform-admin takes effect only after the user enrols TOTP.")
    Users.UserView create(@Valid @RequestBody CreateUserRequest request) {
        return users.create(request.username(), request.password(), Boolean.TRUE.equals(request.platformAdmin()));
    }

    @GetMapping
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "List local users")
    List<Users.UserView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        return users.list(offset, limit);
    }

    @GetMapping("/{username}")
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "Show a local user")
    Users.UserView show(@PathVariable @Size(max = 64) String username) {
        return users.find(username).orElseThrow(() -> new CitadelException(ErrorCode.USER_NOT_FOUND, "No such user."));
    }

    @PostMapping("/{username}/enablement")
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "Re-enable a disabled user", description = "Tokens issued before the disablement stay invalid.")
    Users.UserView enable(@PathVariable @Size(max = 64) String username) {
        return users.enable(username);
    }

    @PostMapping("/{username}/totp-reset")
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "Reset a user's TOTP (lost device)",
            description = "The user signs in with the password only and enrols again; live sessions end, and admin "
                    + "roles stop taking effect until TOTP is active again.")
    Users.UserView resetTotp(@PathVariable @Size(max = 64) String username) {
        return users.resetTotp(username);
    }

    @PostMapping("/{username}/disablement")
    @PlatformOperation(PlatformAction.USERS_MANAGE)
    @Operation(summary = "Disable a user", description = "Sign-in stops and every live token of the user stops working.")
    Users.UserView disable(@PathVariable @Size(max = 64) String username) {
        return users.disable(username);
    }
}

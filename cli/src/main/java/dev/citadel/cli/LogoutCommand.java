package dev.citadel.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Revokes the session at the server (RFC 7009) and forgets its tokens; the server and pin are kept. */
@Command(name = "logout", description = "Revoke the session's tokens and delete them from the config directory.")
final class LogoutCommand implements Callable<Integer> {

    @ParentCommand
    CitadelCommand root;

    @Override
    public Integer call() {
        Profile profile = root.store().load();
        if (!profile.signedIn()) {
            root.say("Not logged in.");
            return ExitCode.OK;
        }
        ApiClient client = root.client();
        try {
            for (String token : new String[] {profile.refreshToken(), profile.accessToken()}) {
                if (token != null) {
                    client.sendAnonymous(() -> ApiClient.form(client.request("/api/v1/auth/revoke"), Map.of("token", token)));
                }
            }
        } finally {
            root.store().save(profile.signedOut());
        }
        root.say("Logged out of " + profile.server() + ".");
        return ExitCode.OK;
    }
}

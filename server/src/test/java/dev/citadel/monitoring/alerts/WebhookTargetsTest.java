package dev.citadel.monitoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Webhook URL validation as configured in production (private targets not allowed; the suite's
 * server allows them so its receivers can run on loopback). Host names resolve through a fixed
 * table standing in for DNS, so a rebinding can be staged; IP literals need no resolver.
 */
class WebhookTargetsTest {

    private final Map<String, String> dns = new ConcurrentHashMap<>(Map.of(
            "hooks.example.com", "203.0.113.10",
            "metadata.example.com", "169.254.169.254",
            "intranet.example.com", "10.1.2.3",
            "localhost", "127.0.0.1"));
    private final WebhookTargets production = new WebhookTargets(false, this::resolve);
    private final WebhookTargets closedNetwork = new WebhookTargets(true, this::resolve);

    private InetAddress[] resolve(String host) throws UnknownHostException {
        String address = dns.get(host);
        if (address == null) {
            // IP literals resolve without a lookup; any other unknown name does not resolve
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return InetAddress.getAllByName(host);
            }
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }

    @Test
    void aPublicHttpsUrlIsAccepted() {
        assertThat(production.validate("https://hooks.example.com/citadel?x=1"))
                .isEqualTo(URI.create("https://hooks.example.com/citadel?x=1"));
        assertThat(production.validate("HTTPS://203.0.113.7:8443/hook")).hasScheme("https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/hook", "ftp://hooks.example.com/", "hooks.example.com/hook",
            "https:hooks.example.com", "//hooks.example.com/", "https:///hook", "javascript:alert(1)",
            "https://user:pass@hooks.example.com/hook", "https://token@hooks.example.com/hook",
            "https://hooks.example.com/hook#fragment", "https://hooks.example.com/a b", "https://hooks.example.com/\n",
            "https://no-such-host.invalid/hook", "", " "})
    void invalidUrlsAreRefusedWithOneCode(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WEBHOOK_INVALID_URL));
        assertThatThrownBy(() -> closedNetwork.validate(url)).isInstanceOf(CitadelException.class);
    }

    @Test
    void aTooLongUrlIsRefused() {
        String url = "https://hooks.example.com/" + "a".repeat(WebhookTargets.MAX_URL_LENGTH);
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WEBHOOK_INVALID_URL));
        assertThatThrownBy(() -> production.validate(null)).isInstanceOf(CitadelException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://10.0.0.1/hook", "https://169.254.169.254/latest/meta-data/", "https://localhost/hook",
            "https://localhost:8443/hook", "https://127.0.0.1/hook", "https://127.8.9.10/hook", "https://0.0.0.0/hook",
            "https://[::1]/hook", "https://[::]/hook", "https://[::ffff:10.0.0.1]/hook", "https://[::ffff:169.254.169.254]/",
            "https://[fd00::1]/hook", "https://[fe80::1]/hook", "https://[64:ff9b::a00:1]/hook", "https://[2002:a00:1::1]/",
            "https://172.16.0.1/hook", "https://172.31.255.255/hook", "https://192.168.1.1/hook", "https://100.64.0.1/hook",
            "https://224.0.0.1/hook", "https://255.255.255.255/hook", "https://198.18.0.1/hook", "https://192.0.0.8/hook",
            "https://metadata.example.com/hook", "https://intranet.example.com/hook"})
    void internalTargetsAreRefusedUnlessPrivateTargetsAreAllowed(String url) {
        assertThatThrownBy(() -> production.validate(url)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WEBHOOK_TARGET_NOT_ALLOWED));
        assertThat(closedNetwork.validate(url)).hasScheme("https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.7", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.169.0.1",
            "2001:4860:4860::8888", "2606:4700::1111"})
    void publicAddressesAreNotInternal(String address) throws UnknownHostException {
        assertThat(WebhookTargets.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void aNameRepointedAtAnInternalAddressAfterValidationIsRefusedAtDeliveryTime() {
        URI url = production.validate("https://hooks.example.com/hook");
        assertThat(production.check(url)).isInstanceOf(WebhookTargets.Allowed.class);
        dns.put("hooks.example.com", "169.254.169.254");
        assertThat(production.check(url)).isEqualTo(new WebhookTargets.Refused("TargetNotAllowed"));
        dns.remove("hooks.example.com");
        assertThat(production.check(url)).isEqualTo(new WebhookTargets.Refused("UnknownHost"));
    }
}

package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.cli.Cli;
import dev.citadel.cli.Io;
import dev.citadel.cli.Prompter;
import dev.citadel.crypto.Totp;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 002 with the CLI only: the CLI runs in-process against the real server over HTTPS, and the
 * test checks what its user sees — output and exit codes — through the whole flow, with the
 * server's certificate pinned, a session kept in a 0600 file, and the failures a user meets.
 */
class CliScenarioTest extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INSTANCE = "{\"age\":67,\"sex\":\"F\",\"ward\":\"cardiology\",\"diagnosis\":\"copd\","
            + "\"glucose\":182.5,\"bmi\":null,\"prior_admissions\":3}";

    @TempDir
    Path work;

    private String pinHex;
    private String pinBase64;

    /** What one run of the CLI printed and returned. */
    record Run(int code, String out, String err) {

        Run expect(int expected) {
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(expected);
            return this;
        }
    }

    /** A person at a terminal with their own config directory. */
    final class Person {
        final Path config;
        final Map<String, String> env = new HashMap<>();
        final Deque<String> answers = new ArrayDeque<>();
        String stdin = "";

        Person(String name) {
            config = work.resolve(name);
            env.put("CITADEL_CONFIG_DIR", config.toString());
        }

        Run run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Prompter prompter = new Prompter() {
                @Override
                public String line(String prompt) {
                    return answers.poll();
                }

                @Override
                public char[] secret(String prompt) {
                    String answer = answers.poll();
                    return answer == null ? null : answer.toCharArray();
                }
            };
            InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
            int code = Cli.run(new Io(in, new PrintWriter(out, true), new PrintWriter(err, true), env, prompter), args);
            return new Run(code, out.toString(), err.toString());
        }

        /** Logs in with the password and, for a TOTP secret, a code of a fresh 30-second step. */
        Run login(Fixtures.User user, String totpSecret, String... trust) {
            env.put("CITADEL_USERNAME", user.username());
            env.put("CITADEL_PASSWORD", user.password());
            if (totpSecret != null) {
                clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
                env.put("CITADEL_TOTP", Totp.code(Totp.decodeSecret(totpSecret), Totp.step(clock.instant())));
            } else {
                answers.add("");
            }
            String[] args = new String[2 + trust.length];
            args[0] = "login";
            args[1] = "--server=" + server();
            System.arraycopy(trust, 0, args, 2, trust.length);
            try {
                return run(args);
            } finally {
                env.remove("CITADEL_PASSWORD");
                env.remove("CITADEL_TOTP");
            }
        }

        JsonNode configFile() throws Exception {
            return JSON.readTree(Files.readString(config.resolve("config.json")));
        }
    }

    @BeforeEach
    void pins() throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(DATA_DIR.resolve("tls/server.crt"))) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        pinHex = "sha256:" + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        pinBase64 = "sha256:" + Base64.getEncoder().encodeToString(digest);
    }

    private String server() {
        return "https://localhost:" + port;
    }

    @Test
    void aPlatformAdministratorBacksUpTheInstallationWithTheCli() throws Exception {
        Person admin = new Person("admin-backup");
        admin.login(new Fixtures.User(ADMIN_USER, ADMIN_PASSWORD), ADMIN_TOTP_SECRET, "--pin", pinHex).expect(0);
        JsonNode job = JSON.readTree(admin.run("backup", "create", "--wait", "-o", "json").expect(0).out());
        assertThat(job.path("state").asString()).isEqualTo("succeeded");
        String id = job.path("result").path("backup").asString();
        assertThat(admin.run("backup", "list").expect(0).out()).contains("ID", "TENANTS", id);
        assertThat(admin.run("backup", "show", id).expect(0).out()).contains(id, "schemaVersion", "keyring");
        assertThat(admin.run("backup", "show", "19990101t000000z-000000").expect(4).err()).contains("backup.not_found");
    }

    @Test
    void aResearcherAndAReviewerRunTheWholeSeed002FlowWithTheCli() throws Exception {
        // the platform admin, pinned by the fingerprint the operator gave out
        Person admin = new Person("admin");
        Run login = admin.login(new Fixtures.User(ADMIN_USER, ADMIN_PASSWORD), ADMIN_TOTP_SECRET, "--pin", pinHex).expect(0);
        assertThat(login.out()).contains("Logged in to " + server() + " as " + ADMIN_USER + " (with TOTP)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin.config.resolve("config.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin.config))).isEqualTo("rwx------");
        String adminToken = admin.configFile().path("accessToken").asString();
        assertThat(adminToken).isNotBlank();
        assertThat(Files.readString(admin.config.resolve("config.json"))).doesNotContain(ADMIN_PASSWORD);
        assertThat(admin.run("config", "show", "-o", "json").expect(0).out()).doesNotContain(adminToken).contains(pinHex);

        String tenant = Fixtures.unique("cli");
        assertThat(admin.run("tenants", "create", tenant, "--name", "CLI Hospital", "--region", "eu-west-1").expect(0).out())
                .contains(tenant, "eu-west-1");
        assertThat(admin.run("tenants", "list", "--limit", "500", "-o", "csv").expect(0).out()).startsWith("ID,NAME,REGION")
                .contains(tenant);
        Fixtures.User alice = new Fixtures.User(Fixtures.unique("alice"), "Purple-Elephant-Dances-42-Times");
        Fixtures.User bob = new Fixtures.User(Fixtures.unique("bob"), "Seven-Quiet-Harbours-At-Dawn-9");
        admin.env.put("CITADEL_NEW_PASSWORD", alice.password());
        admin.run("users", "create", alice.username()).expect(0);
        admin.env.remove("CITADEL_NEW_PASSWORD");
        admin.answers.addAll(List.of(bob.password(), bob.password()));
        assertThat(admin.run("users", "create", bob.username(), "-o", "json").expect(0).out()).contains(bob.username())
                .doesNotContain(bob.password());
        admin.run("members", "add", alice.username(), "--role", "data-scientist,data-steward", "-t", tenant).expect(0);
        admin.run("members", "add", bob.username(), "--role", "ml-engineer", "-t", tenant).expect(0);
        assertThat(admin.run("members", "list", "-t", tenant).expect(0).out()).contains(alice.username(), bob.username(),
                "data-scientist data-steward", "ml-engineer");
        assertThat(admin.run("tenants", "show", tenant).expect(0).out()).contains("CLI Hospital", "quotas.trainingConcurrency");
        assertThat(admin.run("users", "show", alice.username()).expect(0).out()).containsPattern("mfaEnabled\\s+false");
        Fixtures.User carol = fx.createUser("carol");
        admin.run("members", "add", carol.username(), "--role", "viewer", "-t", tenant).expect(0);
        admin.run("members", "remove", carol.username(), "-t", tenant).expect(0);
        assertThat(admin.run("members", "list", "-t", tenant).expect(0).out()).doesNotContain(carol.username());

        // the researcher trusts the self-signed certificate on first use, and gets the tenant as default
        Person researcher = new Person("alice");
        Run tofu = researcher.login(alice, null, "--yes").expect(0);
        assertThat(tofu.err()).contains("SHA-256:  " + pinHex);
        assertThat(tofu.out()).contains("Default tenant: " + tenant);
        assertThat(researcher.configFile().path("pin").asString()).isEqualTo(pinHex);

        Path csv = work.resolve("admissions.csv");
        Files.writeString(csv, ClinicalRecords.csv(400, 7));
        Run upload = researcher.run("datasets", "upload", "admissions", csv.toString()).expect(0);
        assertThat(upload.out()).contains("Sensitive data found", "ssn", "email", "tokenize", "rows", "400");
        assertThat(researcher.run("datasets", "privacy", "admissions").expect(0).out()).contains("Findings in version 1", "ssn");
        assertThat(researcher.run("datasets", "list").expect(0).out()).contains("admissions");
        assertThat(researcher.run("datasets", "show", "admissions").expect(0).out()).contains("latestVersion", "us-ssn", "glucose");
        Path download = work.resolve("admissions-v1.csv");
        assertThat(researcher.run("datasets", "download", "admissions", "1", "-f", download.toString()).expect(0).out())
                .contains("Wrote");
        String content = Files.readString(download);
        assertThat(content).startsWith("patient_id,").contains("tok_");
        String firstSsn = ClinicalRecords.csv(400, 7).lines().skip(1).findFirst().orElseThrow().split(",")[2];
        assertThat(content).doesNotContain(firstSsn);
        assertThat(researcher.run("datasets", "download", "admissions", "1", "-f", download.toString()).expect(2).err())
                .contains("--force");

        Run train = researcher.run("train", "-m", "readmission", "-d", "admissions", "--target", "readmitted",
                "--algorithm", "logistic-regression", "-f", "age,sex,ward,diagnosis,glucose,bmi,prior_admissions",
                "--wait", "--poll-interval", "20").expect(0);
        assertThat(train.err()).contains("100%");
        assertThat(train.out()).contains("succeeded", "readmission version 1", "metrics.accuracy");
        assertThat(researcher.run("jobs", "list").expect(0).out()).contains("readmission", "succeeded");
        String jobId = JSON.readTree(researcher.run("jobs", "list", "-o", "json").expect(0).out()).get(0).path("id").asString();
        assertThat(researcher.run("jobs", "show", jobId).expect(0).out()).contains("training", "succeeded");
        assertThat(researcher.run("models", "show", "readmission", "1").expect(0).out()).contains("candidate", "verified true");

        // a data scientist may not approve; the reviewer (pinned by base64) can, and deploys
        Run notAllowed = researcher.run("models", "approve", "readmission", "1", "--reason", "mine").expect(3);
        assertThat(notAllowed.err()).startsWith("error: access.denied: ").doesNotContain("Exception", "\tat ");
        Person reviewer = new Person("bob");
        reviewer.login(bob, null, "--pin", pinBase64).expect(0);
        assertThat(reviewer.run("models", "approve", "readmission", "1", "--reason", "AUC reviewed").expect(0).out())
                .contains("approved", "AUC reviewed");
        assertThat(reviewer.run("deploy", "readmission", "-m", "readmission", "-v", "1", "--output-policy", "rounded-scores")
                .expect(0).out()).contains("production");

        // predictions: JSON file in, JSON out; CSV on standard input, CSV out; table by default
        Path json = work.resolve("instances.json");
        Files.writeString(json, "{\"instances\":[" + INSTANCE + "]}");
        JsonNode answer = JSON.readTree(researcher.run("predict", "readmission", "-f", json.toString(), "-o", "json")
                .expect(0).out());
        assertThat(answer.path("predictions").size()).isEqualTo(1);
        assertThat(answer.path("predictions").get(0).path("scores").size()).isEqualTo(2);
        researcher.stdin = "age,sex,ward,diagnosis,glucose,bmi,prior_admissions\n67,F,cardiology,copd,182.5,,3\n"
                + "34,M,general,healthy,91.0,24.1,0\n";
        Run csvOut = researcher.run("predict", "readmission", "-o", "csv").expect(0);
        assertThat(csvOut.out().lines().toList()).hasSize(3).first().asString().startsWith("ROW,PREDICTION,SCORE:");
        assertThat(reviewer.run("predict", "readmission", "-f", json.toString()).expect(0).out()).contains("ROW", "PREDICTION");

        // offline verification of the exported model; a changed manifest or artifact fails
        Path export = work.resolve("export");
        reviewer.run("models", "export", "readmission", "1", "--dir", export.toString()).expect(0);
        Path artifact = export.resolve("readmission-v1.onnx");
        assertThat(artifact).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve("manifest.json"))))
                .isEqualTo("rw-------");
        Person offline = new Person("offline");
        assertThat(offline.run("models", "verify", "--keys", export.resolve("signing-keys.json").toString(), "--manifest",
                export.resolve("manifest.json").toString(), "--artifact", artifact.toString(), "--expect-model", "readmission")
                .expect(0).out()).contains("Verified: " + tenant + "/readmission version 1");
        ObjectNode signed = (ObjectNode) JSON.readTree(Files.readString(export.resolve("manifest.json")));
        signed.put("manifest", signed.path("manifest").asString().replace("\"readmission\"", "\"readmissions\""));
        Path tampered = work.resolve("tampered-manifest.json");
        Files.writeString(tampered, signed.toString());
        assertThat(offline.run("models", "verify", "--keys", export.resolve("signing-keys.json").toString(), "--manifest",
                tampered.toString()).expect(1).err()).contains("verification FAILED");
        byte[] bytes = Files.readAllBytes(artifact);
        bytes[bytes.length / 2] ^= 1;
        Path changedArtifact = work.resolve("changed.onnx");
        Files.write(changedArtifact, bytes);
        assertThat(offline.run("models", "verify", "--keys", export.resolve("signing-keys.json").toString(), "--manifest",
                export.resolve("manifest.json").toString(), "--artifact", changedArtifact.toString()).expect(1).err())
                .contains("not the one the signed manifest describes");

        // the exported ONNX model comes back in as an import, a new candidate for someone else to approve
        assertThat(reviewer.run("models", "import", "reimported", artifact.toString()).expect(0).out())
                .contains("imported", "candidate");
        assertThat(reviewer.run("models", "list").expect(0).out()).contains("readmission", "reimported");
        assertThat(reviewer.run("models", "approve", "reimported", "1", "--reason", "my own").expect(3).err())
                .startsWith("error: model.four_eyes: ");

        // the tenant admin (with TOTP) reads and verifies the trail, keeps its checkpoint, rotates keys
        Fixtures.User dana = fx.member(tenant, "tenant-admin");
        Person tenantAdmin = new Person("dana");
        tenantAdmin.login(dana, fx.totpSecretOf(dana), "--pin", pinHex).expect(0);
        for (int i = 0; i < 26; i++) {
            reviewer.run("predict", "readmission", "-f", json.toString()).expect(0);
        }
        assertThat(tenantAdmin.run("audit", "list", "--action", "training.submit").expect(0).out()).contains("training.submit");
        Run firstVerify = tenantAdmin.run("audit", "verify").expect(0);
        assertThat(firstVerify.out()).contains("valid", "true", "first checkpoint kept");
        for (int i = 0; i < 26; i++) {
            reviewer.run("predict", "readmission", "-f", json.toString()).expect(0);
        }
        assertThat(tenantAdmin.run("audit", "verify").expect(0).out()).contains("consistent: extends the kept checkpoint");
        Path kept = tenantAdmin.config.resolve("checkpoints").resolve("localhost_" + port).resolve(tenant + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
        String keptLine = Files.readString(kept);
        ObjectNode forked = (ObjectNode) JSON.readTree(keptLine);
        forked.put("root", Base64.getEncoder().encodeToString(new byte[32]));
        Files.writeString(kept, forked.toString());
        assertThat(tenantAdmin.run("audit", "verify").expect(1).err()).contains("FORKED");
        ObjectNode longer = (ObjectNode) JSON.readTree(keptLine);
        longer.put("size", 1_000_000);
        Files.writeString(kept, longer.toString());
        assertThat(tenantAdmin.run("audit", "verify").expect(1).err()).contains("SHRANK");
        Files.writeString(kept, keptLine);
        Path trail = work.resolve("trail.jsonl");
        Run exported = tenantAdmin.run("audit", "export", "-f", trail.toString(), "--verify").expect(0);
        assertThat(exported.out()).containsPattern("valid\\s+true");
        assertThat(Files.readString(trail)).startsWith("{\"type\":\"header\"");
        assertThat(tenantAdmin.run("keys", "list").expect(0).out()).contains("signing", "primary");
        assertThat(tenantAdmin.run("keys", "rotate").expect(0).out()).contains("Re-encryption job");

        // a service account: its secret goes to a new 0600 file, never to the terminal
        Path secretFile = work.resolve("scoring.secret");
        Run created = tenantAdmin.run("service-accounts", "create", "scoring-app", "--role", "predictor", "--secret-file",
                secretFile.toString(), "-o", "json").expect(0);
        String secret = Files.readString(secretFile).strip();
        assertThat(secret).isNotBlank();
        assertThat(created.out() + created.err()).doesNotContain(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        Person app = new Person("app");
        app.env.put("CITADEL_CLIENT_ID", JSON.readTree(created.out()).path("clientId").asString());
        app.env.put("CITADEL_CLIENT_SECRET", secret);
        Run appLogin = app.run("login", "--server", server(), "--pin", pinHex, "-o", "json").expect(0);
        assertThat(JSON.readTree(appLogin.out()).path("kind").asString()).isEqualTo("service-account");
        assertThat(appLogin.out() + appLogin.err()).doesNotContain(secret, app.configFile().path("accessToken").asString());
        app.run("predict", "readmission", "-t", tenant, "-f", json.toString()).expect(0);
        assertThat(app.run("datasets", "list", "-t", tenant).expect(3).err()).contains("access.denied");
        Path rotated = work.resolve("scoring-2.secret");
        tenantAdmin.run("service-accounts", "rotate-secret", "scoring-app", "--secret-file", rotated.toString()).expect(0);
        assertThat(Files.readString(rotated).strip()).isNotEqualTo(secret);
        assertThat(tenantAdmin.run("service-accounts", "disable", "scoring-app").expect(0).out()).containsPattern("disabled\\s+true");
        assertThat(tenantAdmin.run("service-accounts", "list").expect(0).out()).contains("scoring-app");
        assertThat(app.run("predict", "readmission", "-t", tenant, "-f", json.toString()).expect(3).err())
                .contains("session has expired or was revoked");

        // another tenant's resources look missing; a usage error; logging out ends the session
        String other = fx.createTenant("cli-other");
        assertThat(researcher.run("datasets", "list", "-t", other).expect(4).err()).startsWith("error: tenant.not_found: ");
        assertThat(researcher.run("models", "show", "no-such-model").expect(4).err()).contains("model.not_found");
        assertThat(researcher.run("train", "-m", "x").expect(2).err()).contains("Missing required option");
        assertThat(researcher.run("completion").expect(0).out()).contains("complete -F");
        assertThat(researcher.run("logout").expect(0).out()).contains("Logged out");
        assertThat(researcher.configFile().path("accessToken").isNull()).isTrue();
        assertThat(researcher.run("datasets", "list").expect(3).err()).contains("citadel login");
    }

    @Test
    void aRevokedOrExpiredSessionAsksToLogInAgain() throws Exception {
        Fixtures.User user = fx.member(fx.createTenant("cli-expiry"), "viewer");
        Person person = new Person("expiry");
        person.login(user, null, "--pin", pinHex).expect(0);
        String token = person.configFile().path("accessToken").asString();
        api.postForm("/api/v1/auth/revoke", Map.of("token", person.configFile().path("refreshToken").asString()), Map.of());
        api.postForm("/api/v1/auth/revoke", Map.of("token", token), Map.of());
        Run expired = person.run("datasets", "list").expect(3);
        assertThat(expired.err()).contains("session has expired or was revoked", "citadel login");
    }

    @Test
    void aCertificateThatDoesNotMatchThePinIsRefused() {
        Fixtures.User user = fx.member(fx.createTenant("cli-pin"), "viewer");
        Person person = new Person("wrong-pin");
        Run refused = person.login(user, null, "--pin", "sha256:" + "00".repeat(32)).expect(5);
        assertThat(refused.err()).contains("does not match the pinned").doesNotContain("\tat ");
        assertThat(person.config.resolve("config.json")).doesNotExist();

        Person declines = new Person("declines");
        declines.answers.add("n");
        assertThat(declines.login(user, null).expect(1).err()).contains(pinHex, "not trusted");
        assertThat(declines.config.resolve("config.json")).doesNotExist();

        assertThat(person.run("login", "--server", "http://localhost:" + port).expect(2).err()).contains("https://");
    }

    @Test
    void anAdminGovernsWithTheCliPoliciesRetentionErasureWithAnOfflineCertificateAndReports() throws Exception {
        String tenant = fx.createTenant("cli-gov");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        Person person = new Person("governance");
        person.login(admin, fx.totpSecretOf(admin), "--pin", pinHex).expect(0);

        person.run("-t", tenant, "policies", "put", "no-trees", "--gate", "train", "--expression",
                "input.job.algorithm != 'gradient-boosted-trees'", "--message", "No trees yet.").expect(0);
        assertThat(person.run("-t", tenant, "policies", "list").expect(0).out()).contains("no-trees", "residency-deploy");
        Run invalid = person.run("-t", tenant, "policies", "put", "broken", "--gate", "deploy", "--expression", "1 +",
                "--message", "m").expect(1);
        assertThat(invalid.err()).contains("policy.invalid").doesNotContain("\tat ");

        String subject = "jane.roe@example.org";
        StringBuilder csv = new StringBuilder("email,age\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i < 2 ? subject : "p" + i + "@example.org").append(',').append(20 + i).append('\n');
        }
        assertThat(api.postRaw("/api/v1/tenants/" + tenant + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                csv.toString()).status()).isEqualTo(201);
        person.stdin = subject + "\n";
        Run erased = person.run("-t", tenant, "-o", "json", "erasure", "request", "--subject-from-stdin", "--wait").expect(0);
        person.stdin = "";
        JsonNode erasure = JSON.readTree(erased.out());
        assertThat(erasure.path("state").asString()).isEqualTo("succeeded");
        assertThat(erased.out() + erased.err()).doesNotContain(subject);
        Path certificate = work.resolve("certificate.json");
        person.run("-t", tenant, "erasure", "certificate", erasure.path("id").asString(), "-f", certificate.toString())
                .expect(0);
        Path pem = work.resolve("audit.pem");
        Files.writeString(pem, api.get("/api/v1/audit/signing-keys", null).json().path("keys").get(0).path("publicKey")
                .asString());
        assertThat(person.run("erasure", "verify", certificate.toString(), "--key", pem.toString()).expect(0).out())
                .contains("Valid", "subject");
        Path forged = work.resolve("forged.json");
        Files.writeString(forged, Files.readString(certificate).replace("\\\"removedRows\\\":2",
                "\\\"removedRows\\\":0"));
        assertThat(Files.readString(forged)).isNotEqualTo(Files.readString(certificate));
        assertThat(person.run("erasure", "verify", forged.toString(), "--key", pem.toString()).expect(1).err())
                .contains("does not verify");

        person.run("-t", tenant, "retention", "set", "--days", "365", "--audit-years", "6").expect(0);
        person.run("-t", tenant, "retention", "report").expect(0);
        assertThat(person.run("-t", tenant, "reports", "compliance").expect(0).out()).contains("audit-trail", "in-place",
                "retention");
        assertThat(person.run("-t", tenant, "reports", "access-review").expect(0).out()).contains(scientist.username());
        Path page = work.resolve("compliance.html");
        person.run("-t", tenant, "reports", "compliance", "--html", page.toString()).expect(0);
        assertThat(Files.readString(page)).contains("<table").contains("Art. 17");
    }

    /** Issue 12 with the CLI: a sensitive dataset, a DP job at epsilon 3, the ledger, a job over the budget refused. */
    @Test
    void aStewardFlagsADatasetSensitiveAndAResearcherTrainsItWithDifferentialPrivacyWithinItsBudget() throws Exception {
        String tenant = fx.createTenant("cli-dp");
        Fixtures.User alice = fx.member(tenant, "data-scientist");
        Fixtures.User steward = fx.member(tenant, "data-steward");
        Fixtures.User viewer = fx.member(tenant, "viewer");
        Person researcher = new Person("dp-alice");
        researcher.login(alice, null, "--pin", pinHex).expect(0);
        Person custodian = new Person("dp-steward");
        custodian.login(steward, null, "--pin", pinHex).expect(0);
        Path csv = work.resolve("admissions.csv");
        Files.writeString(csv, ClinicalRecords.csv(3000, 21));
        researcher.run("datasets", "upload", "admissions", csv.toString()).expect(0);

        assertThat(researcher.run("datasets", "set-budget", "admissions", "5").expect(3).err())
                .startsWith("error: access.denied: ");
        assertThat(custodian.run("datasets", "set-budget", "admissions", "5", "--sensitive").expect(0).out())
                .containsPattern("budget\\s+5\\.0").containsPattern("sensitive\\s+true");
        assertThat(custodian.run("datasets", "set-budget", "admissions").expect(2).err()).contains("--sensitive");

        String[] common = {"train", "-d", "admissions", "--target", "readmitted", "-f",
            "age,prior_admissions,glucose,diagnosis", "-p", "epochs=5"};
        Run refused = researcher.run(concat(common, "-m", "plain")).expect(3);
        assertThat(refused.err()).startsWith("error: policy.denied: ").contains("dp-for-sensitive-datasets");
        assertThat(researcher.run(concat(common, "-m", "x", "--delta", "1e-9")).expect(2).err()).contains("need --epsilon");
        assertThat(researcher.run(concat(common, "-m", "x", "--epsilon", "3", "--bound", "age=0")).expect(2).err())
                .contains("LOW,HIGH");

        String[] dp = concat(common, "--epsilon", "3", "--bound", "age=0,120", "--bound", "prior_admissions=0,10",
                "--bound", "glucose=40,300", "--categories", "diagnosis=asthma,copd,diabetes,healthy,hypertension");
        Run trained = researcher.run(concat(dp, "-m", "private", "--wait", "--poll-interval", "20")).expect(0);
        assertThat(trained.out()).contains("succeeded", "private version 1", "metrics.accuracy");
        Run shown = researcher.run("models", "show", "private", "1").expect(0);
        assertThat(shown.out()).containsPattern("privacy.epsilon\\s+3\\.0").contains("privacy.delta", "privacy.sigma");

        Run ledger = researcher.run("datasets", "budget", "admissions").expect(0);
        assertThat(ledger.out()).containsPattern("budget\\s+5\\.0").containsPattern("spentEpsilon\\s+3\\.0")
                .containsPattern("remainingEpsilon\\s+2\\.0").containsPattern("sensitive\\s+true")
                .contains("Charges:", "private", "training", "user:");

        Run over = researcher.run(concat(dp, "-m", "private-again")).expect(1);
        assertThat(over.err()).startsWith("error: privacy.budget_exhausted: ").contains("has 2.000 of its privacy budget");

        // the privacy object from a file; --epsilon overrides the file's
        Path file = work.resolve("privacy.json");
        Files.writeString(file, "{\"epsilon\": 9, \"bounds\": {\"age\": [0, 120], \"prior_admissions\": [0, 10], "
                + "\"glucose\": [40, 300]}, \"categories\": {\"diagnosis\": [\"asthma\", \"copd\", \"diabetes\", "
                + "\"healthy\", \"hypertension\"]}}");
        researcher.run(concat(common, "-m", "from-file", "--privacy-file", file.toString(), "--epsilon", "1.5")).expect(0);
        JsonNode charges = JSON.readTree(researcher.run("datasets", "budget", "admissions", "-v", "1", "-o", "json")
                .expect(0).out()).path("charges");
        assertThat(charges.valueStream().map(c -> c.path("epsilon").asDouble()).toList()).containsExactlyInAnyOrder(3.0, 1.5);
        Path broken = work.resolve("broken.json");
        Files.writeString(broken, "{\"epsilon\": ");
        assertThat(researcher.run(concat(common, "-m", "x", "--privacy-file", broken.toString())).expect(2).err())
                .contains("is not JSON");

        // a viewer reads the ledger but sets nothing; another tenant's ledger is not found
        Person looker = new Person("dp-viewer");
        looker.login(viewer, null, "--pin", pinHex).expect(0);
        looker.run("datasets", "set-budget", "admissions", "--no-sensitive").expect(3);
        Run profiled = looker.run("datasets", "dp-profile", "admissions", "--epsilon", "0.5", "--bound", "age=0,120",
                "--bins", "age=4", "--categories", "ward=cardiology,oncology,general,icu").expect(0);
        assertThat(profiled.out()).containsPattern("epsilon\\s+0\\.5").contains("discrete-gaussian-cks2020", "[0, 30)",
                "[90, 120]", "cardiology", "(other)", "Every figure is noisy");
        assertThat(looker.run("datasets", "dp-profile", "admissions", "--epsilon", "0.5", "--bound", "age=0,120")
                .expect(1).err()).startsWith("error: privacy.budget_exhausted: ");
        assertThat(looker.run("datasets", "dp-profile", "admissions", "--epsilon", "0.5").expect(2).err())
                .contains("--bound or --categories");
        assertThat(looker.run("datasets", "budget", "admissions", "-o", "csv").expect(0).out())
                .startsWith("JOB,KIND,MODEL,EPSILON").contains(",profile,");
        String other = fx.createTenant("cli-dp-other");
        assertThat(researcher.run("datasets", "budget", "admissions", "-t", other).expect(4).err())
                .startsWith("error: tenant.not_found: ");
        JsonNode cleared = JSON.readTree(custodian.run("datasets", "set-budget", "admissions", "--no-sensitive", "-o",
                "json").expect(0).out());
        assertThat(cleared.path("sensitive").asBoolean(true)).isFalse();
        assertThat(cleared.path("budget").asDouble()).isEqualTo(5.0);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** docs/quickstart.md, with its sample files, as written. */
    @Test
    void theQuickstartWorksAsDocumented() throws Exception {
        Path samples = Path.of("..", "docs", "samples");
        String tenant = fx.createTenant("quickstart");
        Fixtures.User alice = fx.member(tenant, "data-scientist", "data-steward");
        Fixtures.User bob = fx.member(tenant, "ml-engineer");
        Person researcher = new Person("quickstart-alice");
        researcher.login(alice, null, "--pin", pinHex).expect(0);
        Run upload = researcher.run("datasets", "upload", "admissions", samples.resolve("admissions.csv").toString())
                .expect(0);
        assertThat(upload.out()).contains("full_name", "email", "ssn", "tokenize", "400");
        Run train = researcher.run("train", "-m", "readmission", "-d", "admissions", "--target", "readmitted", "-f",
                "age,sex,ward,glucose,bmi,prior_admissions", "--wait", "--poll-interval", "20").expect(0);
        assertThat(train.out()).contains("succeeded", "metrics.accuracy");
        Person reviewer = new Person("quickstart-bob");
        reviewer.login(bob, null, "--pin", pinHex).expect(0);
        reviewer.run("models", "approve", "readmission", "1", "--reason", "held-out accuracy acceptable for a pilot")
                .expect(0);
        reviewer.run("deploy", "readmission", "-m", "readmission", "-v", "1", "--output-policy", "rounded-scores",
                "--precision", "2").expect(0);
        Run predicted = researcher.run("predict", "readmission", "-f", samples.resolve("new-patients.csv").toString())
                .expect(0);
        assertThat(predicted.out().lines().toList()).hasSize(6).first().asString().contains("ROW", "PREDICTION",
                "SCORE:true", "SCORE:false");
    }
}

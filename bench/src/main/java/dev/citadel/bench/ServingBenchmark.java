package dev.citadel.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.citadel.CitadelApplication;
import dev.citadel.crypto.Totp;
import dev.citadel.deployments.runtime.ModelCache;
import dev.citadel.platform.TenantId;
import dev.citadel.training.OfflineTraining;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 7's serving benchmark, all in one run on one machine: Citadel started in this JVM on
 * loopback HTTPS with its embedded defaults; a tenant that trains, approves and deploys a
 * logistic-regression and a gradient-boosted-trees model on a generated file; then, per model and
 * connection count, bare in-process inference, the bench-only unsecured endpoint, the secured
 * prediction path, and scikit-learn under Flask's development server and under gunicorn; and a
 * noisy neighbour flooding past its rate limit while another tenant runs a steady load.
 */
public final class ServingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ROWS = 20_000;
    private static final int BODIES = 1_000;
    private static final List<String> ALGORITHMS = List.of("logistic-regression", "gradient-boosted-trees");
    /**
     * The noisy tenant's plan (free), set for this run: 1,200 predictions a minute (20 a second) for
     * the tenant and for each principal; the plan's bucket holds a minute's worth, so the flood starts
     * early enough to have drained it before the steady tenant is measured.
     */
    private static final int NOISY_PER_MINUTE = 1_200;
    private static final Duration FLOOD_LEAD = Duration.ofSeconds(8);
    private static final double NOISY_RATE = 10 * NOISY_PER_MINUTE / 60.0;
    private static final double STEADY_RATE = 200;
    private static final int NOISY_ROUNDS = 3;
    /** Alternating unsecured/secured windows per model and connection count; the median ratio's pair is reported. */
    private static final int SATURATION_ROUNDS = 3;

    private ServingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Integer> connections = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            connections.add(Integer.parseInt(args[i]));
        }
        if (connections.isEmpty()) {
            connections = List.of(8, 32);
        }
        Duration window = Duration.ofSeconds(seconds);
        Duration warmup = Duration.ofSeconds(Math.max(2, seconds / 3));
        Path dir = Files.createTempDirectory("citadel-serving-bench");
        Path csv = dir.resolve("clinical.csv");
        TrainingData.write(csv, ROWS, 7, OfflineTraining.heldOut(ROWS, 0.2, 42));
        List<byte[]> bodies = bodies(csv);

        Started started = start(dir, new Class<?>[] {UnsecuredEndpoint.class},
                "--citadel.serving.limits.plans.free.tenant-per-minute=" + NOISY_PER_MINUTE,
                "--citadel.serving.limits.plans.free.principal-per-minute=" + NOISY_PER_MINUTE);
        ConfigurableApplicationContext context = started.context();
        Python python = null;
        try {
            SSLContext tls = started.tls();
            URI base = started.base();
            Setup setup = started.setup();
            String clinic = setup.tenant("clinic", "enterprise");
            String noisy = setup.tenant("noisy", "free");
            setup.deployBoth(clinic, csv);
            setup.deployBoth(noisy, csv);
            System.out.println("Citadel: tenants " + clinic + " (enterprise) and " + noisy + " (free), both models deployed");

            LoadDriver driver = new LoadDriver(tls);
            if (Boolean.getBoolean("citadel.bench.noisy")) {
                // the noisy-neighbour scenario alone (after a warm-up pass), e.g. to compare collectors
                driver.closedLoop(setup.secured(clinic, "logistic-regression", bodies), 8, warmup, warmup);
                driver.closedLoop(setup.secured(noisy, "logistic-regression", bodies), 8, warmup, warmup);
                noisyNeighbour(setup, driver, clinic, noisy, bodies, window).forEach(System.out::println);
            } else if (Boolean.getBoolean("citadel.bench.quick")) {
                quick(setup, driver, base, clinic, bodies, connections, warmup, window);
            } else {
                python = Python.start(csv, dir);
                ModelCache cache = context.getBean(ModelCache.class);
                checkAgreement(setup, driver, cache, clinic, bodies);
                // one pass over everything first, so the JIT has seen every path before anything is measured
                for (String algorithm : ALGORITHMS) {
                    driver.closedLoop(setup.secured(clinic, algorithm, bodies), 8, warmup, warmup);
                    driver.closedLoop(unsecured(base, clinic, algorithm, bodies), 8, warmup, warmup);
                }

                List<String> lines = new ArrayList<>();
                for (String algorithm : ALGORITHMS) {
                    for (int threads : List.of(1, 2)) {
                        lines.add(bare(cache, clinic, algorithm, bodies, threads, warmup, window));
                    }
                }
                // added latency without queueing: one connection, so each request has the server to itself
                for (String algorithm : ALGORITHMS) {
                    LoadDriver.Result unsecured = driver.closedLoop(unsecured(base, clinic, algorithm, bodies), 1, warmup, window);
                    LoadDriver.Result secured = driver.closedLoop(setup.secured(clinic, algorithm, bodies), 1, warmup, window);
                    lines.add(format(algorithm, unsecured));
                    lines.add(format(algorithm, secured));
                    lines.add(String.format("LATENCY %s c=1 p50 added %.3f ms, p99 added %.3f ms, secured/unsecured %.2f",
                            algorithm, (secured.p50() - unsecured.p50()) / 1000.0, (secured.p99() - unsecured.p99()) / 1000.0,
                            secured.throughput() / unsecured.throughput()));
                    System.out.println(String.join("\n", lines.subList(lines.size() - 3, lines.size())));
                }
                for (int n : connections) {
                    for (String algorithm : ALGORITHMS) {
                        // alternating rounds: one 10-second window on a shared two-core machine moves
                        // the ratio by ±0.15, so the round with the median ratio is reported
                        List<LoadDriver.Result[]> rounds = new ArrayList<>();
                        for (int round = 0; round < SATURATION_ROUNDS; round++) {
                            Duration warm = round == 0 ? warmup : Duration.ofSeconds(1);
                            rounds.add(new LoadDriver.Result[] {
                                driver.closedLoop(unsecured(base, clinic, algorithm, bodies), n, warm, window),
                                driver.closedLoop(setup.secured(clinic, algorithm, bodies), n, warm, window)});
                        }
                        List<Double> ratios = rounds.stream().map(r -> r[1].throughput() / r[0].throughput()).toList();
                        LoadDriver.Result[] median = rounds.stream()
                                .sorted(java.util.Comparator.comparingDouble(r -> r[1].throughput() / r[0].throughput()))
                                .toList().get(SATURATION_ROUNDS / 2);
                        LoadDriver.Result unsecured = median[0];
                        LoadDriver.Result secured = median[1];
                        lines.add(String.format("ROUNDS %s c=%d secured/unsecured %s", algorithm, n,
                                ratios.stream().map(r -> String.format("%.2f", r)).toList()));
                        LoadDriver.Result dev = driver.closedLoop(python.target("flask-dev", algorithm, bodies), n, warmup, window);
                        LoadDriver.Result gunicorn = driver.closedLoop(python.target("gunicorn", algorithm, bodies), n, warmup,
                                window);
                        for (LoadDriver.Result r : List.of(unsecured, secured, dev, gunicorn)) {
                            lines.add(format(algorithm, r));
                        }
                        lines.add(String.format("RATIO %s c=%d secured/unsecured %.2f, p50 added %.3f ms, secured/flask-dev %.1f, "
                                + "secured/gunicorn %.1f", algorithm, n, secured.throughput() / unsecured.throughput(),
                                (secured.p50() - unsecured.p50()) / 1000.0, secured.throughput() / dev.throughput(),
                                secured.throughput() / gunicorn.throughput()));
                        System.out.println(String.join("\n", lines.subList(lines.size() - 6, lines.size())));
                    }
                }
                lines.addAll(noisyNeighbour(setup, driver, clinic, noisy, bodies, window));
                System.out.println("\n==== summary ====");
                lines.forEach(System.out::println);
            }
        } finally {
            if (python != null) {
                python.close();
            }
            context.close();
            deleteTree(dir);
        }
        System.exit(0);
    }

    /** For profiling: secured against unsecured only, logistic regression, four alternating rounds. */
    private static void quick(Setup setup, LoadDriver driver, URI base, String clinic, List<byte[]> bodies,
            List<Integer> connections, Duration warmup, Duration window) throws Exception {
        for (int round = 0; round < 4; round++) {
            for (int n : connections) {
                LoadDriver.Result unsecured = driver.closedLoop(unsecured(base, clinic, "logistic-regression", bodies), n,
                        warmup, window);
                LoadDriver.Result secured = driver.closedLoop(setup.secured(clinic, "logistic-regression", bodies), n,
                        warmup, window);
                System.out.println(format("logistic-regression", unsecured));
                System.out.println(format("logistic-regression", secured));
                System.out.printf("QUICK round %d c=%d secured/unsecured %.2f%n", round, n,
                        secured.throughput() / unsecured.throughput());
            }
        }
    }

    /**
     * Tenant B (clinic) at a steady rate, alternately alone and while tenant A (noisy) floods at 10×
     * its plan's limit: {@value #NOISY_ROUNDS} flood windows between {@value #NOISY_ROUNDS} + 1 alone
     * windows, so one slow window (the JIT, the shared machine) cannot decide the comparison; the
     * medians of B's p99 are compared.
     */
    private static List<String> noisyNeighbour(Setup setup, LoadDriver driver, String clinic, String noisy,
            List<byte[]> bodies, Duration window) throws Exception {
        String algorithm = "logistic-regression";
        List<String> lines = new ArrayList<>();
        List<Double> aloneP99 = new ArrayList<>();
        List<Double> floodP99 = new ArrayList<>();
        List<Double> aloneP50 = new ArrayList<>();
        List<Double> floodP50 = new ArrayList<>();
        for (int round = 0; round <= NOISY_ROUNDS; round++) {
            LoadDriver.Result alone = driver.paced(setup.secured(clinic, algorithm, bodies), 8, STEADY_RATE, window);
            lines.add("NOISY B alone       " + format(algorithm, alone));
            aloneP99.add(alone.p99() / 1000.0);
            aloneP50.add(alone.p50() / 1000.0);
            if (round == NOISY_ROUNDS) {
                break;
            }
            LoadDriver.Target flood = setup.secured(noisy, algorithm, bodies);
            LoadDriver.Result[] a = new LoadDriver.Result[1];
            Duration lead = round == 0 ? FLOOD_LEAD : Duration.ofSeconds(1);
            Thread attacker = Thread.ofPlatform().start(() -> {
                try {
                    a[0] = driver.paced(flood, 16, NOISY_RATE, window.plus(lead).plusSeconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(lead.toMillis());
            LoadDriver.Result together = driver.paced(setup.secured(clinic, algorithm, bodies), 8, STEADY_RATE, window);
            attacker.join();
            lines.add("NOISY B with flood  " + format(algorithm, together));
            lines.add("NOISY A flooding    " + format(algorithm, a[0]));
            floodP99.add(together.p99() / 1000.0);
            floodP50.add(together.p50() / 1000.0);
        }
        lines.add(String.format("NOISY B p99 alone %s, with flood %s ms; medians %.2f / %.2f ms: ratio %.2f; "
                        + "B p50 medians %.2f / %.2f ms", aloneP99, floodP99, median(floodP99), median(aloneP99),
                median(floodP99) / median(aloneP99), median(floodP50), median(aloneP50)));
        return lines;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(String algorithm, LoadDriver.Result r) {
        return String.format("%-22s %-10s c=%-3d %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  ok %d  429 %d  failed %d",
                algorithm, r.name(), r.connections(), r.throughput(), r.p50() / 1000.0, r.p99() / 1000.0, r.ok(),
                r.refused(), r.failed());
    }

    /** Encode + predict in this JVM, no HTTP: {@code threads} loops over the same instances. */
    private static String bare(ModelCache cache, String tenant, String algorithm, List<byte[]> bodies, int threads,
            Duration warmup, Duration window) throws Exception {
        List<List<Map<String, Object>>> requests = new ArrayList<>();
        for (byte[] body : bodies) {
            requests.add(instances(body));
        }
        ModelCache.Key key = new ModelCache.Key(new TenantId(tenant), algorithm, 1);
        loop(cache, key, requests, threads, warmup);
        long calls = loop(cache, key, requests, threads, window);
        double perSecond = calls / (window.toNanos() / 1e9);
        return String.format("%-22s bare       t=%-3d %8.0f pred/s  %7.2f µs per call per thread", algorithm, threads,
                perSecond, threads * 1e6 / perSecond);
    }

    private static long loop(ModelCache cache, ModelCache.Key key, List<List<Map<String, Object>>> requests, int threads,
            Duration window) throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 331;
            workers.add(Thread.ofPlatform().start(() -> {
                long done = 0;
                for (int i = offset; !stop.get(); i++) {
                    try (ModelCache.InUse inUse = cache.acquire(key)) {
                        if (UnsecuredEndpoint.predict(inUse, requests.get(i % requests.size())) == null) {
                            throw new IllegalStateException("an instance was refused");
                        }
                    }
                    done++;
                }
                calls.addAndGet(done);
            }));
        }
        Thread.sleep(window.toMillis());
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return calls.get();
    }

    /** The same instances through bare inference, the unsecured and the secured endpoint must get the same labels. */
    private static void checkAgreement(Setup setup, LoadDriver driver, ModelCache cache, String tenant,
            List<byte[]> bodies) throws Exception {
        for (String algorithm : ALGORITHMS) {
            int agree = 0;
            for (byte[] body : bodies.subList(0, 50)) {
                String secured = setup.predictions(setup.secured(tenant, algorithm, List.of(body)));
                String unsecured = setup.predictions(unsecured(setup.base, tenant, algorithm, List.of(body)));
                String bare;
                try (ModelCache.InUse inUse = cache.acquire(new ModelCache.Key(new TenantId(tenant), algorithm, 1))) {
                    bare = "[\"" + UnsecuredEndpoint.predict(inUse, instances(body)).getFirst().label() + "\"]";
                }
                if (secured.equals(unsecured) && secured.equals(bare)) {
                    agree++;
                } else {
                    throw new IllegalStateException(algorithm + ": secured " + secured + ", unsecured " + unsecured
                            + ", bare " + bare);
                }
            }
            System.out.println(algorithm + ": secured, unsecured and bare agree on " + agree + " of 50 instances");
        }
    }

    private static LoadDriver.Target unsecured(URI base, String tenant, String algorithm, List<byte[]> bodies) {
        return new LoadDriver.Target("unsecured", base.resolve("/bench/unsecured/" + tenant + "/" + algorithm + "/1"), null,
                bodies);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> instances(byte[] body) {
        return (List<Map<String, Object>>) JSON.readValue(body, Map.class).get("instances");
    }

    /** Single-instance request bodies from the file's held-out rows: numbers as numbers, missing as null. */
    static List<byte[]> bodies(Path csv) throws IOException {
        Map<String, String> types = TrainingData.columnTypes();
        List<byte[]> bodies = new ArrayList<>();
        try (var lines = Files.lines(csv)) {
            List<String> all = lines.toList();
            String[] header = all.getFirst().split(",", -1);
            for (String line : all.subList(1, all.size())) {
                String[] cells = line.split(",", -1);
                if (!cells[cells.length - 1].equals("test")) {
                    continue;
                }
                Map<String, Object> instance = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    String type = types.get(header[i]);
                    if (type == null || header[i].equals("label")) {
                        continue;
                    }
                    instance.put(header[i], cells[i].isEmpty() ? null : switch (type) {
                        case "decimal" -> Double.parseDouble(cells[i]);
                        case "integer" -> Integer.parseInt(cells[i]);
                        case "boolean" -> Boolean.parseBoolean(cells[i]);
                        default -> cells[i];
                    });
                }
                bodies.add(JSON.writeValueAsBytes(Map.of("instances", List.of(instance))));
                if (bodies.size() == BODIES) {
                    break;
                }
            }
        }
        return bodies;
    }

    /** Removes the run's temporary directory: the file, the server's data directory and the Python logs. */
    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A Citadel started in this JVM on loopback HTTPS, with its admin signed in. */
    record Started(ConfigurableApplicationContext context, SSLContext tls, URI base, Setup setup) {}

    /**
     * Starts Citadel with the embedded defaults under {@code dir}/data, plus {@code sources} (bench-only
     * configuration) and {@code args}, and signs in its generated bootstrap admin.
     */
    static Started start(Path dir, Class<?>[] sources, String... args) throws Exception {
        return start(dir, secret(new SecureRandom()), sources, args);
    }

    /** As {@link #start(Path, Class[], String...)}, with the master passphrase given (a restore needs it again). */
    static Started start(Path dir, String passphrase, Class<?>[] sources, String... args) throws Exception {
        SecureRandom random = new SecureRandom();
        String adminPassword = secret(random);
        String totp = Totp.newSecret(random);
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1", "--citadel.data-dir=" + dir.resolve("data"),
                "--citadel.keys.master-passphrase=" + passphrase,
                "--citadel.auth.bootstrap.admin-user=bench-admin", "--citadel.auth.bootstrap.admin-password=" + adminPassword,
                "--citadel.auth.bootstrap.admin-totp-secret=" + totp, "--logging.level.root=WARN"));
        all.addAll(List.of(args));
        Class<?>[] classes = new Class<?>[sources.length + 1];
        classes[0] = CitadelApplication.class;
        System.arraycopy(sources, 0, classes, 1, sources.length);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(classes).run(all.toArray(String[]::new));
        SSLContext tls = Setup.trusting(dir.resolve("data/tls/server.crt"));
        URI base = URI.create("https://localhost:" + context.getEnvironment().getProperty("local.server.port"));
        Setup setup = new Setup(base, tls);
        setup.login("bench-admin", adminPassword, totp);
        return new Started(context, tls, base, setup);
    }

    static String secret(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Drives set-up through the public API over HTTPS, as a platform admin and tenant members would. */
    static final class Setup {

        final URI base;
        private final HttpClient client;
        private String admin;
        private int sequence;

        Setup(URI base, SSLContext tls) {
            this.base = base;
            this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
        }

        static SSLContext trusting(Path certificate) throws Exception {
            java.security.cert.Certificate cert;
            try (var in = Files.newInputStream(certificate)) {
                cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("citadel", cert);
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }

        void login(String user, String password, String totp) throws Exception {
            String code = Totp.code(Totp.decodeSecret(totp), Totp.step(Instant.now()));
            admin = expect(200, send("POST", "/api/v1/auth/login", null,
                    Map.of("username", user, "password", password, "totp", code))).path("access_token").asString();
        }

        /** A platform administrator's call: {@code body} as JSON (or none), the answer's JSON if the status matches. */
        JsonNode asAdmin(int status, String method, String path, Object body) throws Exception {
            return expect(status, send(method, path, admin, body));
        }

        /** A tenant on {@code plan} with the admin as its tenant admin. */
        String tenant(String prefix, String plan) throws Exception {
            String id = prefix + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            expect(201, send("POST", "/api/v1/tenants", admin, Map.of("id", id, "name", "Bench " + prefix, "region",
                    "eu-west-1", "plan", plan)));
            expect(200, send("PUT", "/api/v1/tenants/" + id + "/members/bench-admin", admin,
                    Map.of("roles", List.of("tenant-admin"))));
            return id;
        }

        private String member(String tenant, String role) throws Exception {
            String user = role + "-" + (++sequence) + "-" + tenant;
            String password = "Correct-Horse-Battery-" + sequence + "-Staple";
            expect(201, send("POST", "/api/v1/users", admin, Map.of("username", user, "password", password)));
            expect(200, send("PUT", "/api/v1/tenants/" + tenant + "/members/" + user, admin, Map.of("roles", List.of(role))));
            return expect(200, send("POST", "/api/v1/auth/login", null, Map.of("username", user, "password", password)))
                    .path("access_token").asString();
        }

        /** Upload, train both models, approve by an ML engineer, deploy with output label; a predictor account. */
        void deployBoth(String tenant, Path csv) throws Exception {
            String t = "/api/v1/tenants/" + tenant;
            String scientist = member(tenant, "data-scientist");
            String engineer = member(tenant, "ml-engineer");
            HttpResponse<String> upload = client.send(HttpRequest.newBuilder(base.resolve(t + "/datasets/clinical/versions"))
                    .header("Authorization", "Bearer " + scientist).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
            expect(201, upload);
            List<String> features = new ArrayList<>(TrainingData.columnTypes().keySet());
            features.remove("label");
            for (String algorithm : ALGORITHMS) {
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("model", algorithm);
                job.put("dataset", "clinical");
                job.put("version", 1);
                job.put("task", "classification");
                job.put("algorithm", algorithm);
                job.put("target", "label");
                job.put("features", features);
                String id = expect(202, send("POST", t + "/training-jobs", scientist, job)).path("id").asString();
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (true) {
                    JsonNode state = expect(200, send("GET", t + "/training-jobs/" + id, scientist, null));
                    String s = state.path("state").asString();
                    if (s.equals("succeeded")) {
                        break;
                    }
                    if (s.equals("failed") || System.nanoTime() > deadline) {
                        throw new IllegalStateException("training " + algorithm + ": " + state);
                    }
                    Thread.sleep(200);
                }
                expect(200, send("POST", t + "/models/" + algorithm + "/versions/1/approval", engineer,
                        Map.of("reason", "benchmark")));
                expect(200, send("PUT", t + "/deployments/" + algorithm, engineer,
                        Map.of("model", algorithm, "version", 1, "output", "label")));
            }
            JsonNode account = expect(201, send("POST", t + "/service-accounts", admin,
                    Map.of("name", "scoring", "roles", List.of("predictor"))));
            clients.put(tenant, new String[] {account.path("clientId").asString(), account.path("clientSecret").asString()});
        }

        private final Map<String, String[]> clients = new LinkedHashMap<>();

        /** The secured path for a tenant's deployment, with a fresh predictor token (client credentials). */
        LoadDriver.Target secured(String tenant, String deployment, List<byte[]> bodies) throws Exception {
            String[] credentials = clients.get(tenant);
            String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(credentials[0], StandardCharsets.UTF_8)
                    + "&client_secret=" + URLEncoder.encode(credentials[1], StandardCharsets.UTF_8);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String token = expect(200, response).path("access_token").asString();
            return new LoadDriver.Target("secured", base.resolve("/api/v1/tenants/" + tenant + "/deployments/" + deployment
                    + "/predictions"), token, bodies);
        }

        /** The predictions array of one request, as JSON text. */
        String predictions(LoadDriver.Target target) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(target.bodies().getFirst()));
            if (target.token() != null) {
                request.header("Authorization", "Bearer " + target.token());
            }
            return expect(200, client.send(request.build(), HttpResponse.BodyHandlers.ofString())).path("predictions")
                    .toString();
        }

        private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private static JsonNode expect(int status, HttpResponse<String> response) {
            if (response.statusCode() != status) {
                throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
    }

    /** The Flask development server and gunicorn (2 workers, OMP_NUM_THREADS=1) serving scikit-learn on plain HTTP. */
    static final class Python implements AutoCloseable {

        private static final int DEV_PORT = 18_081;
        private static final int GUNICORN_PORT = 18_082;
        private final List<Process> processes = new ArrayList<>();

        static Python start(Path csv, Path dir) throws Exception {
            Path script = Path.of(System.getProperty("citadel.bench.flask", "bench/src/main/python/flask_serving.py"))
                    .toAbsolutePath();
            Python python = new Python();
            python.launch(List.of("/usr/bin/python3", script.toString(), Integer.toString(DEV_PORT)), csv, dir, "flask-dev");
            python.launch(List.of("gunicorn", "--preload", "-w", "2", "-b", "127.0.0.1:" + GUNICORN_PORT, "--chdir",
                    script.getParent().toString(), "flask_serving:app"), csv, dir, "gunicorn");
            python.awaitReady(DEV_PORT);
            python.awaitReady(GUNICORN_PORT);
            System.out.println("Flask: development server on " + DEV_PORT + ", gunicorn (2 workers) on " + GUNICORN_PORT);
            return python;
        }

        private void launch(List<String> command, Path csv, Path dir, String name) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            builder.environment().put("SERVING_CSV", csv.toString());
            builder.environment().put("SERVING_CATEGORICAL", String.join(",", TrainingData.CATEGORICAL));
            builder.environment().put("SERVING_TARGET", "label");
            builder.environment().put("SERVING_SPLIT", "split");
            processes.add(builder.start());
        }

        private void awaitReady(int port) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (true) {
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the Python server on port " + port + " did not start", notYet);
                    }
                }
                Thread.sleep(500);
            }
        }

        LoadDriver.Target target(String name, String algorithm, List<byte[]> bodies) {
            int port = name.equals("gunicorn") ? GUNICORN_PORT : DEV_PORT;
            return new LoadDriver.Target(name, URI.create("http://127.0.0.1:" + port + "/predict/" + algorithm), null, bodies);
        }

        @Override
        public void close() {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
        }
    }
}

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives ingest-service's POST /v1/batch with realistic Segment calls (email engagement, product
 * views, orders, pages; unique messageIds, 10,000 subscribers) from N concurrent clients and
 * reports events/s and the p50/p99 latency of the batch requests. Writes the mean call size to
 * --size-file so run.sh can run Kafka's ProducerPerformance with the same record size.
 *
 * java IngestBench.java --url http://localhost:8081 [--key ck_...] [--events 200000] [--batch 100]
 *      [--concurrency 8] [--warmup 20000] [--size-file PATH] [--http 1.1|2] [--client raw|jdk]
 *
 * --client raw (the default) writes each request on a kept-alive socket and reads the answer by
 * hand: the JDK HttpClient needs milliseconds of CPU per 47 KB request, which on a shared 2-core
 * machine is taken from the service being measured (the raw producer it is compared with pays no such
 * client). --client jdk keeps the JDK client (and --http applies to it only).
 */
public class IngestBench {

    static final String[] CAMPAIGNS = {"spring-sale", "welcome-3", "newsletter-42", "winback-7"};
    static final String[] CATEGORIES = {"shoes", "bags", "outdoor", "kids", "home"};

    public static void main(String[] args) throws Exception {
        String url = "http://localhost:8081";
        String key = null;
        int events = 200_000;
        int batch = 100;
        int concurrency = 8;
        int warmup = 20_000;
        Path sizeFile = null;
        HttpClient.Version version = HttpClient.Version.HTTP_1_1;
        String client = "raw";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--key" -> key = args[++i];
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--size-file" -> sizeFile = Path.of(args[++i]);
                case "--client" -> client = args[++i];
                case "--http" -> version = "2".equals(args[++i]) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        // HTTP/1.1 by default, as Segment's and RudderStack's server libraries speak to a cleartext URL
        // (the JDK client would otherwise try an h2c upgrade); --http 2 for the JDK's default
        HttpClient http = "jdk".equals(client)
                ? HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(10)).build()
                : null;
        String auth = key == null ? null : "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));

        System.out.printf("warm-up: %d events%n", warmup);
        run(http, url, auth, warmup, batch, concurrency, 1);
        System.out.printf("measuring: %d events, batches of %d, %d concurrent clients, %s%n", events, batch, concurrency,
                http == null ? "HTTP/1.1 keep-alive sockets (--client raw)" : version + " (--client jdk)");
        Result result = run(http, url, auth, events, batch, concurrency, 2);
        long[] latencies = result.latencies();
        Arrays.sort(latencies);
        double seconds = result.nanos() / 1e9;
        System.out.printf("events/s: %.0f (%d events in %.2f s)%n", events / seconds, events, seconds);
        System.out.printf("batch latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)%n",
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6,
                latencies.length);
        System.out.printf("mean call size: %d bytes%n", result.meanCallBytes());
        if (sizeFile != null) {
            Files.writeString(sizeFile, Long.toString(result.meanCallBytes()));
        }
    }

    record Result(long nanos, long[] latencies, long meanCallBytes) {
    }

    static Result run(HttpClient http, String url, String auth, int events, int batch, int concurrency, long seed)
            throws Exception {
        int requests = (events + batch - 1) / batch;
        List<byte[]> bodies = new ArrayList<>(requests);
        Random random = new Random(seed);
        long callBytes = 0;
        for (int r = 0; r < requests; r++) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            int n = Math.min(batch, events - r * batch);
            for (int i = 0; i < n; i++) {
                String call = call(random);
                callBytes += call.getBytes(StandardCharsets.UTF_8).length;
                body.append(i == 0 ? "" : ",").append(call);
            }
            bodies.add(body.append("],\"sentAt\":\"").append(Instant.now()).append("\"}").toString()
                    .getBytes(StandardCharsets.UTF_8));
        }
        long[] latencies = new long[requests];
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                if (http == null) {
                    try (KeepAliveConnection connection = new KeepAliveConnection(URI.create(url), auth)) {
                        int index;
                        while ((index = (int) next.getAndIncrement()) < requests) {
                            long t0 = System.nanoTime();
                            int status = connection.post("/v1/batch", bodies.get(index));
                            latencies[index] = System.nanoTime() - t0;
                            if (status != 200) {
                                throw new IllegalStateException("HTTP " + status + ": " + connection.lastBody());
                            }
                        }
                    }
                    return null;
                }
                int index;
                while ((index = (int) next.getAndIncrement()) < requests) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/v1/batch"))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(index)));
                    if (auth != null) {
                        request.header("Authorization", auth);
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    latencies[index] = System.nanoTime() - t0;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        return new Result(nanos, latencies, callBytes / events);
    }

    /**
     * One HTTP/1.1 connection kept alive across requests, as a server-side analytics library holds
     * it: writes the request in one buffer, reads the status line, the headers and a Content-Length
     * or chunked body.
     */
    static final class KeepAliveConnection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;
        private final String auth;
        private String lastBody = "";

        KeepAliveConnection(URI url, String auth) throws IOException {
            this.socket = new Socket(url.getHost(), url.getPort());
            this.socket.setTcpNoDelay(true);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.host = url.getHost() + ":" + url.getPort();
            this.auth = auth;
        }

        int post(String path, byte[] body) throws IOException {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            String header;
            while (!(header = line()).isEmpty()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) > 0) {
                    answer.write(in.readNBytes((int) size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                answer.write(in.readNBytes((int) length));
            } else {
                throw new IOException("answer without Content-Length or chunked encoding");
            }
            lastBody = answer.toString(StandardCharsets.UTF_8);
            return status;
        }

        String lastBody() {
            return lastBody;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** One realistic call: what an ESP/back end and a website send most. */
    static String call(Random random) {
        String user = "bench-u-" + random.nextInt(10_000);
        String campaign = CAMPAIGNS[random.nextInt(CAMPAIGNS.length)];
        String context = "\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.1\"},"
                + "\"userAgent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15\","
                + "\"ip\":\"203.0.113." + random.nextInt(255) + "\",\"timezone\":\"Europe/Paris\"}";
        String head = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + user + "\",\"timestamp\":\""
                + Instant.now().minusSeconds(random.nextInt(86_400)) + "\",";
        int kind = random.nextInt(10);
        return switch (kind) {
            case 0, 1, 2 -> head + "\"type\":\"track\",\"event\":\"Email Opened\",\"properties\":{\"campaign_id\":\""
                    + campaign + "\",\"email_id\":\"" + campaign + "-" + user + "\",\"machineOpen\":" + (random.nextInt(4) == 0)
                    + "}," + context + "}";
            case 3, 4 -> head + "\"type\":\"track\",\"event\":\"Email Delivered\",\"properties\":{\"campaign_id\":\""
                    + campaign + "\",\"email_id\":\"" + campaign + "-" + user + "\"}," + context + "}";
            case 5 -> head + "\"type\":\"track\",\"event\":\"Email Link Clicked\",\"properties\":{\"campaign_id\":\""
                    + campaign + "\",\"email_id\":\"" + campaign + "-" + user
                    + "\",\"link_url\":\"https://shop.example/collections/spring\"}," + context + "}";
            case 6, 7 -> head + "\"type\":\"track\",\"event\":\"Product Viewed\",\"properties\":{\"product_id\":\"sku-"
                    + random.nextInt(5000) + "\",\"category\":\"" + CATEGORIES[random.nextInt(CATEGORIES.length)]
                    + "\",\"price\":" + (10 + random.nextInt(190)) + ".99,\"currency\":\"EUR\"}," + context + "}";
            case 8 -> head + "\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":{\"order_id\":\""
                    + UUID.randomUUID() + "\",\"revenue\":" + (20 + random.nextInt(300)) + ".5,\"currency\":\"EUR\","
                    + "\"products\":[{\"product_id\":\"sku-" + random.nextInt(5000) + "\",\"category\":\""
                    + CATEGORIES[random.nextInt(CATEGORIES.length)] + "\",\"price\":49.9,\"quantity\":1}]}," + context + "}";
            default -> head + "\"type\":\"page\",\"name\":\"Pricing\",\"properties\":{\"url\":\"https://shop.example/pricing\","
                    + "\"path\":\"/pricing\",\"title\":\"Pricing\"}," + context + "}";
        };
    }

    static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}

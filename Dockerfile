# syntax=docker/dockerfile:1
# Build with the Maven wrapper on a JDK, run on a JRE 21 as a non-root user.
FROM eclipse-temurin:21.0.8_9-jdk-noble AS build
WORKDIR /src
# dependencies first, so that a code change does not download them again
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY heartbeat-core/pom.xml heartbeat-core/
COPY heartbeat-adapter-kafka/pom.xml heartbeat-adapter-kafka/
COPY heartbeat-adapter-postgres/pom.xml heartbeat-adapter-postgres/
COPY heartbeat-web/pom.xml heartbeat-web/
COPY heartbeat-app/pom.xml heartbeat-app/
RUN ./mvnw -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:21.0.8_9-jre-noble
RUN groupadd --system heartbeat && useradd --system --gid heartbeat --home-dir /app --shell /usr/sbin/nologin heartbeat
WORKDIR /app
COPY --from=build /src/heartbeat-app/target/heartbeat-app.jar /app/heartbeat-app.jar
USER heartbeat
# Container-aware heap sizing, fail fast on OOM (the orchestrator restarts; exactly once survives it),
# Parallel GC: the ingest loop is throughput-bound (docs/benchmarks.md, Kafka adapter).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseParallelGC" \
    HEARTBEAT_WEB_BIND=0.0.0.0 \
    HEARTBEAT_PROBE_BIND=0.0.0.0 \
    HEARTBEAT_HEALTH_PORT=8080
EXPOSE 8080 8081
# /health/ready on HEARTBEAT_HEALTH_PORT (the dashboard's port, or --probe-port for producers and consumers),
# with bash alone: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HEARTBEAT_HEALTH_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/app/heartbeat-app.jar"]
CMD ["run"]

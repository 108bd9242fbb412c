# Cortex's container image: the cortex command (node, miner, validator, every other command) on a Java 17 JRE,
# run as an unprivileged user. Build it from the repository's root:
#   docker build -t cortex:0.1.0 .
# The first stage builds deploy/target/cortex.jar with Maven (tests skipped: run mvn -B verify before a release).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl deploy -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 cortex \
 && useradd --system --uid 10001 --gid cortex --home-dir /var/lib/cortex --create-home --shell /usr/sbin/nologin cortex
COPY --from=build /src/deploy/target/cortex.jar /opt/cortex/cortex.jar
COPY deploy/kubernetes/cortex.sh /usr/local/bin/cortex
RUN chmod 0755 /usr/local/bin/cortex
# wallets, and anything else a command keeps, go under CORTEX_HOME
ENV CORTEX_HOME=/var/lib/cortex
USER 10001:10001
WORKDIR /var/lib/cortex
ENTRYPOINT ["cortex"]
CMD ["--help"]

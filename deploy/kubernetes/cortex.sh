#!/bin/sh
# The cortex command inside the container image (Dockerfile). Aeron reads jdk.internal.misc, so every JVM that
# loads it is started with that package opened. CORTEX_JAVA_OPTS adds options, such as the heap (-Xmx).
# shellcheck disable=SC2086 # CORTEX_JAVA_OPTS is a list of options
exec java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED ${CORTEX_JAVA_OPTS:-} -jar /opt/cortex/cortex.jar "$@"

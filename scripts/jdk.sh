# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 25.
# Order: $JAVA_HOME when it is >= 25, then any JDK >= 25 under /usr/lib/jvm.

ghostnet_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  local release="$1/release"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -f "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

ghostnet_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    major=$(ghostnet_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

if ! GHOSTNET_JDK=$(ghostnet_find_jdk); then
  echo "error: no JDK 25 or newer found (JAVA_HOME='${JAVA_HOME:-}', nothing suitable under /usr/lib/jvm)." >&2
  echo "       Install one, e.g. Temurin 25 (apt-get install temurin-25-jdk from packages.adoptium.net)," >&2
  echo "       or set JAVA_HOME to a JDK >= 25." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$GHOSTNET_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own JVM is then a JDK 25, on which Maven's Guice calls sun.misc.Unsafe and JDK 24+ warns about it
# (JEP 471/498). Said here rather than in .mvn/jvm.config, which every JVM reads and a JDK 17 refuses.
case " ${MAVEN_OPTS:-} " in
  *" --sun-misc-unsafe-memory-access="*) ;;
  *) export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow${MAVEN_OPTS:+ $MAVEN_OPTS}" ;;
esac

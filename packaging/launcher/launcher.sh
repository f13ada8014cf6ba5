#!/bin/sh
# @launcher.name@ launcher for the JVM build; Maven writes it from packaging/launcher/launcher.sh,
# for the build tree (jars beside it) and for the distribution (jars in ../lib/@launcher.name@/).
# The JVM is $JAVA, else $JAVA_HOME/bin/java, else java on the PATH; RAFT_JAVA_OPTS adds JVM flags.
self=$(readlink -f "$0")
here=$(dirname "$self")
if [ -n "$JAVA" ]; then
  java_cmd=$JAVA
elif [ -n "$JAVA_HOME" ]; then
  java_cmd=$JAVA_HOME/bin/java
else
  java_cmd=java
fi
# A class-data-sharing archive written by the build (raftd only) makes start-up cheaper. A JVM
# that cannot use it (another JDK, rebuilt jars) starts without it; its warning is silenced.
cds=
if [ -f "$here/@launcher.name@.jsa" ]; then
  cds="-XX:SharedArchiveFile=$here/@launcher.name@.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
# shellcheck disable=SC2086 # the flags are meant to split into words
exec "$java_cmd" @launcher.jvmFlags@ $cds $RAFT_JAVA_OPTS -cp "@launcher.classpath@" @launcher.mainClass@ "$@"

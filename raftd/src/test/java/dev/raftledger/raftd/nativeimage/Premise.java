package dev.raftledger.raftd.nativeimage;

/**
 * Something a dependency needs from the image that no call in our code shows (slf4j's service
 * lookup, slf4j-simple's properties file, JLine's terminal providers), with why it is needed.
 */
public record Premise(String why, Coverage coverage) {}

package dev.raftledger.raftd.nativeimage;

/**
 * One reflective (or otherwise native-image sensitive) call in our code that is known and covered:
 * {@code inClass.inMethod} calls {@code api} (e.g. "java.lang.Class.getResourceAsStream"), and
 * {@code coverage} is what makes it work in the image. A call not in the allow-list fails the test.
 */
public record Allowance(String inClass, String inMethod, String api, Coverage coverage) {

    public static Allowance of(String inClass, String inMethod, String api, Coverage coverage) {
        return new Allowance(inClass, inMethod, api, coverage);
    }

    boolean matches(ClassFileReader.Call call) {
        return call.inClass().equals(inClass) && call.inMethod().equals(inMethod) && call.target().api().equals(api);
    }
}

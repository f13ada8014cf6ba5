package dev.raftledger.raftd.nativeimage;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads, from one class file, which members each method calls and which classes the class names.
 * Just enough of the class-file format (JVMS chapter 4) for the reachability test: the constant
 * pool, the methods' Code attributes and a walk over their instructions. No ASM: the format is
 * small and stable, and a dependency only for this would be one more thing to pin.
 */
public final class ClassFileReader {

    /** A field or method named in the constant pool; {@code owner} in internal form (a/b/C). */
    public record MemberRef(String owner, String name, String descriptor) {

        /** "java.lang.Class.forName": how allow-lists and messages name it. */
        public String api() {
            return owner.replace('/', '.') + "." + name;
        }
    }

    /**
     * One call (or method handle) in {@code inClass}'s method {@code inMethod}, both in source form
     * (dots). Method references and lambdas to a member show as {@link #METHOD_HANDLE}.
     */
    public record Call(String inClass, String inMethod, MemberRef target) {}

    /** What one class file says. */
    public record ClassFacts(String name, Set<String> referencedClasses, List<Call> calls) {}

    /** The pseudo-method under which method handles in the constant pool are reported. */
    public static final String METHOD_HANDLE = "(method handle)";

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE_TAG = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private final int[] tags;
    private final int[] first;
    private final int[] second;
    private final String[] utf8;

    private ClassFileReader(int count) {
        tags = new int[count];
        first = new int[count];
        second = new int[count];
        utf8 = new String[count];
    }

    /** @throws IllegalArgumentException if the bytes are not a class file this reader understands */
    public static ClassFacts read(byte[] classFile) {
        try {
            return parse(new DataInputStream(new ByteArrayInputStream(classFile)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable class file: " + e, e);
        }
    }

    private static ClassFacts parse(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("bad magic");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major: every version so far keeps this layout
        ClassFileReader pool = new ClassFileReader(in.readUnsignedShort());
        pool.readPool(in);
        in.readUnsignedShort(); // access flags
        String name = pool.className(in.readUnsignedShort());
        in.readUnsignedShort(); // super class
        skip(in, 2 * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            skip(in, 6);
            skipAttributes(in);
        }
        List<Call> calls = new ArrayList<>();
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            in.readUnsignedShort(); // access flags
            String method = pool.utf8[in.readUnsignedShort()];
            in.readUnsignedShort(); // descriptor
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = pool.utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (attribute.equals("Code")) {
                    byte[] body = in.readNBytes(length);
                    pool.callsInCode(body, name, method, calls);
                } else {
                    skip(in, length);
                }
            }
        }
        pool.methodHandles(name, calls);
        return new ClassFacts(name, pool.referencedClasses(), List.copyOf(calls));
    }

    private void readPool(DataInputStream in) throws IOException {
        for (int i = 1; i < tags.length; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8:
                    utf8[i] = in.readUTF();
                    break;
                case INTEGER:
                case FLOAT:
                    in.readInt();
                    break;
                case LONG:
                case DOUBLE:
                    in.readLong();
                    i++; // takes two slots (JVMS 4.4.5)
                    break;
                case CLASS:
                case STRING:
                case METHOD_TYPE:
                case MODULE:
                case PACKAGE:
                    first[i] = in.readUnsignedShort();
                    break;
                case FIELDREF:
                case METHODREF:
                case INTERFACE_METHODREF:
                case NAME_AND_TYPE:
                case DYNAMIC:
                case INVOKE_DYNAMIC:
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                    break;
                case METHOD_HANDLE_TAG:
                    first[i] = in.readUnsignedByte(); // reference kind
                    second[i] = in.readUnsignedShort();
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
    }

    private String className(int classIndex) {
        return utf8[first[classIndex]].replace('/', '.');
    }

    private MemberRef member(int refIndex) {
        int nameAndType = second[refIndex];
        return new MemberRef(utf8[first[first[refIndex]]], utf8[first[nameAndType]], utf8[second[nameAndType]]);
    }

    private Set<String> referencedClasses() {
        Set<String> classes = new LinkedHashSet<>();
        for (int i = 1; i < tags.length; i++) {
            if (tags[i] == CLASS) {
                classes.add(utf8[first[i]]);
            }
        }
        return classes;
    }

    private void methodHandles(String inClass, List<Call> calls) {
        for (int i = 1; i < tags.length; i++) {
            if (tags[i] == METHOD_HANDLE_TAG) {
                calls.add(new Call(inClass, METHOD_HANDLE, member(second[i])));
            }
        }
    }

    /** Walks the instructions of one Code attribute, recording every invoke and field access. */
    private void callsInCode(byte[] body, String inClass, String method, List<Call> calls) {
        // Code attribute: max_stack u2, max_locals u2, code_length u4, code[code_length], ...
        int length = ((body[4] & 0xff) << 24) | ((body[5] & 0xff) << 16) | ((body[6] & 0xff) << 8) | (body[7] & 0xff);
        int base = 8;
        int pc = 0;
        while (pc < length) {
            int op = body[base + pc] & 0xff;
            if (op >= 0xb2 && op <= 0xb9) { // get/putstatic, get/putfield, invokevirtual .. invokeinterface
                int index = ((body[base + pc + 1] & 0xff) << 8) | (body[base + pc + 2] & 0xff);
                calls.add(new Call(inClass, method, member(index)));
            }
            pc += instructionLength(body, base, pc, op);
        }
    }

    /** Length in bytes of the instruction at {@code pc} (JVMS 6.5). */
    static int instructionLength(byte[] body, int base, int pc, int op) {
        if (op == 0xaa || op == 0xab) { // tableswitch, lookupswitch: padded to a 4-byte boundary
            int at = pc + 1 + ((4 - ((pc + 1) % 4)) % 4);
            if (op == 0xaa) {
                int low = readInt(body, base + at + 4);
                int high = readInt(body, base + at + 8);
                return at - pc + 12 + 4 * (high - low + 1);
            }
            int pairs = readInt(body, base + at + 4);
            return at - pc + 8 + 8 * pairs;
        }
        if (op == 0xc4) { // wide: iinc takes two 2-byte operands, loads and stores one
            return (body[base + pc + 1] & 0xff) == 0x84 ? 6 : 4;
        }
        int len = LENGTHS[op];
        if (len == 0) {
            throw new IllegalArgumentException("unknown opcode " + op + " at " + pc);
        }
        return len;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /** Fixed instruction lengths by opcode; 0 for the variable-length and undefined ones. */
    private static final int[] LENGTHS = new int[256];

    static {
        fill(0x00, 0x0f, 1); // nop .. dconst_1
        LENGTHS[0x10] = 2; // bipush
        LENGTHS[0x11] = 3; // sipush
        LENGTHS[0x12] = 2; // ldc
        fill(0x13, 0x14, 3); // ldc_w, ldc2_w
        fill(0x15, 0x19, 2); // iload .. aload
        fill(0x1a, 0x35, 1); // iload_0 .. saload
        fill(0x36, 0x3a, 2); // istore .. astore
        fill(0x3b, 0x83, 1); // istore_0 .. lxor
        LENGTHS[0x84] = 3; // iinc
        fill(0x85, 0x98, 1); // conversions, comparisons
        fill(0x99, 0xa8, 3); // if*, goto, jsr
        LENGTHS[0xa9] = 2; // ret
        fill(0xac, 0xb1, 1); // returns
        fill(0xb2, 0xb8, 3); // field access, invokevirtual/special/static
        fill(0xb9, 0xba, 5); // invokeinterface, invokedynamic
        LENGTHS[0xbb] = 3; // new
        LENGTHS[0xbc] = 2; // newarray
        LENGTHS[0xbd] = 3; // anewarray
        fill(0xbe, 0xbf, 1); // arraylength, athrow
        fill(0xc0, 0xc1, 3); // checkcast, instanceof
        fill(0xc2, 0xc3, 1); // monitorenter, monitorexit
        LENGTHS[0xc5] = 4; // multianewarray
        fill(0xc6, 0xc7, 3); // ifnull, ifnonnull
        fill(0xc8, 0xc9, 5); // goto_w, jsr_w
    }

    private static void fill(int from, int to, int length) {
        for (int op = from; op <= to; op++) {
            LENGTHS[op] = length;
        }
    }

    private static void skip(DataInputStream in, int n) throws IOException {
        in.skipNBytes(n);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort();
            skip(in, in.readInt());
        }
    }
}

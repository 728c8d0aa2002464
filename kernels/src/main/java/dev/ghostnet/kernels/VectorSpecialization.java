package dev.ghostnet.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gives every vector kernel class a compile-time constant species, per width, from one source file.
 *
 * <p>C2 only intrinsifies Vector API calls whose species is a constant: with the species in an instance
 * field, the pointwise kernel measured 0.5 G MAC/s instead of 54 (every vector op fell back to Java code
 * and allocated). So each kernel class is a template: its bytes are defined again as a hidden class per
 * width with the species as class data, which the template reads into a {@code static final} field
 * ({@link #species}). Each width gets its own copy of the code, its own profiles, and a constant species.
 *
 * <p>Construction is checked by javac although the specialised classes exist only at run time: each template
 * has a static {@code create} with its constructor's parameters (the only way to construct it) and a nested
 * {@code Factory} interface of the same type, and {@link VectorKernels} passes {@code Template::create} as that
 * interface to {@link #factory}. javac checks the method reference against the original class, so a signature
 * change is a compile error, not a failed look-up at run time. Here the {@code create} of the hidden copy is
 * looked up with the type of the interface's single abstract method (read by reflection, not typed by hand)
 * and bound to the interface with {@link LambdaMetafactory}. A constructor reference ({@code Template::new})
 * would spare {@code create} but cannot be bound: the lambda would have to name the hidden class in a
 * {@code new} instruction. This runs once per width and kernel class at load time; the hot loops are untouched.
 * Generating per-width source files at build time would give the same constant species at the price of a
 * code generator in the build; the hidden classes need none.
 */
final class VectorSpecialization {
    private VectorSpecialization() {}

    /** The species of the hidden class {@code lookup} belongs to; called from each template's static initialiser. */
    static VectorSpecies<Float> species(MethodHandles.Lookup lookup) {
        try {
            @SuppressWarnings("unchecked")
            VectorSpecies<Float> species = MethodHandles.classData(lookup, ConstantDescs.DEFAULT_NAME, VectorSpecies.class);
            if (species == null) {
                throw new IllegalStateException(lookup.lookupClass().getName()
                        + " is a template: obtain kernels through VectorKernels, which specialises it per width");
            }
            return species;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code factoryType} implemented by the static {@code create} of its enclosing template class, specialised
     * to {@code species}. {@code checked} is the template's own {@code create} as a method reference
     * ({@code Template::create}): it is never called (the template has no species) and is there for javac to
     * check {@code create}'s signature against {@code factoryType}.
     */
    static <F> F factory(Class<F> factoryType, F checked, VectorSpecies<Float> species) {
        Class<?> template = factoryType.getEnclosingClass();
        if (checked == null || template == null || !factoryType.isInterface()) {
            throw new IllegalArgumentException(factoryType + " is not a factory interface nested in a template");
        }
        Method sam = singleAbstractMethod(factoryType);
        MethodType type = MethodType.methodType(sam.getReturnType(), sam.getParameterTypes());
        MethodHandles.Lookup hidden = define(template, species);
        try {
            MethodHandle create = hidden.findStatic(hidden.lookupClass(), "create", type);
            MethodHandle bind = LambdaMetafactory.metafactory(hidden, sam.getName(), MethodType.methodType(factoryType),
                    type, create, type).getTarget();
            return factoryType.cast(bind.invoke());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot bind " + template.getName() + ".create to "
                    + factoryType.getName(), e);
        }
    }

    private static Method singleAbstractMethod(Class<?> factoryType) {
        Method[] abstracts = Arrays.stream(factoryType.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers())).toArray(Method[]::new);
        if (abstracts.length != 1) {
            throw new IllegalArgumentException(factoryType + " must have exactly one abstract method, has "
                    + abstracts.length);
        }
        return abstracts[0];
    }

    /** Defines {@code template} again as a hidden class specialised to {@code species}. */
    private static MethodHandles.Lookup define(Class<?> template, VectorSpecies<Float> species) {
        byte[] bytes;
        String resource = template.getSimpleName() + ".class";
        try (InputStream stream = template.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("class file " + resource + " not found next to " + template.getName());
            }
            bytes = stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        try {
            return MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot specialise " + template.getName() + " to " + species, e);
        }
    }
}

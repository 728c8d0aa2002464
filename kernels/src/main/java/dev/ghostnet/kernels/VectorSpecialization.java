package dev.ghostnet.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gives every vector kernel class a compile-time constant species, per width, from one source file.
 *
 * <p>C2 only intrinsifies Vector API calls whose species is a constant: with the species in an instance
 * field, the pointwise kernel measured 0.5 G MAC/s instead of 54 (every vector op fell back to Java code
 * and allocated). So each kernel class is a template: its bytes are defined again as a hidden class per
 * width with the species as class data, which the template reads into a {@code static final} field
 * ({@link #species}). Each width gets its own copy of the code, its own profiles, and a constant species.
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
     * Defines {@code template} again as a hidden class specialised to {@code species} and returns its
     * constructor of type {@code constructorType}.
     */
    static MethodHandle constructor(Class<?> template, VectorSpecies<Float> species, MethodType constructorType) {
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
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, species, true);
            return hidden.findConstructor(hidden.lookupClass(), constructorType);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot specialise " + template.getName() + " to " + species, e);
        }
    }
}

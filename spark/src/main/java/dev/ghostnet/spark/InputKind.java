package dev.ghostnet.spark;

import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * What the input column holds: encoded image files (the {@code content} of Spark's {@code binaryFile}
 * source), or decoded images as Spark's {@code image} source gives them.
 */
enum InputKind {
    /** PNG or JPEG bytes. */
    ENCODED,
    /** {@code struct<origin: string, height: int, width: int, nChannels: int, mode: int, data: binary>}. */
    IMAGE_STRUCT;

    /** The fields of Spark's image struct this transformer reads, with their types. */
    private static final List<StructField> IMAGE_FIELDS = List.of(
            DataTypes.createStructField("height", DataTypes.IntegerType, true),
            DataTypes.createStructField("width", DataTypes.IntegerType, true),
            DataTypes.createStructField("nChannels", DataTypes.IntegerType, true),
            DataTypes.createStructField("mode", DataTypes.IntegerType, true),
            DataTypes.createStructField("data", DataTypes.BinaryType, true));

    /**
     * The kind of a column of this type.
     *
     * @throws IllegalArgumentException naming the column and what it should be when it is neither
     */
    static InputKind of(String column, DataType type) {
        if (type instanceof BinaryType) {
            return ENCODED;
        }
        if (type instanceof StructType struct && hasImageFields(struct)) {
            return IMAGE_STRUCT;
        }
        throw new IllegalArgumentException("GhostNetClassifier: input column '" + column + "' is " + type.simpleString()
                + "; expected binary (PNG or JPEG bytes, e.g. the content of spark.read.format(\"binaryFile\")) or the"
                + " image struct of spark.read.format(\"image\") (height, width, nChannels, mode: int; data: binary)");
    }

    private static boolean hasImageFields(StructType struct) {
        List<String> names = List.of(struct.fieldNames());
        for (StructField wanted : IMAGE_FIELDS) {
            if (!names.contains(wanted.name()) || !struct.apply(wanted.name()).dataType().equals(wanted.dataType())) {
                return false;
            }
        }
        return true;
    }
}

package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The width setting: its values, its errors, and that this JVM runs the width it was asked for. */
class VectorWidthTest {
    @Test
    void thisJvmRunsTheWidthItWasAskedFor() {
        String asked = System.getProperty(VectorWidth.PROPERTY);
        if (asked == null) {
            assertFalse(VectorWidth.SCALAR);
            assertEquals(FloatVector.SPECIES_PREFERRED, VectorWidth.FLOAT);
        } else if (asked.equals("scalar")) {
            assertTrue(VectorWidth.SCALAR);
        } else {
            assertFalse(VectorWidth.SCALAR);
            assertEquals(Integer.parseInt(asked), VectorWidth.FLOAT.vectorBitSize());
        }
        // The kernels take their species from the setting.
        assertEquals(VectorWidth.FLOAT, MatMul.F);
        assertEquals(VectorWidth.FLOAT, Int8MatVec.F);
        assertDoesNotThrow(VectorWidth::requireValid);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
        // bits, alias, vector bits (0: preferred), scalar
        "none, none, 0, false",
        "'', none, 0, false",
        "128, none, 128, false",
        "256, false, 256, false",
        "' 512 ', none, 512, false",
        "scalar, none, 0, true",
        "Scalar, none, 0, true",
        "none, true, 0, true",
        "scalar, true, 0, true",
        "none, false, 0, false"})
    void knownValues(String bits, String alias, int vectorBits, boolean scalar) {
        VectorWidth.Setting s = VectorWidth.parse(bits, alias);
        assertNull(s.problem());
        assertEquals(scalar, s.scalar());
        assertEquals(vectorBits == 0 ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : vectorBits, s.species().vectorBitSize());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "100 | none | qwenasr.vector.bits must be 128, 256, 512 or scalar, not '100'",
        "64 | none | qwenasr.vector.bits must be 128, 256, 512 or scalar, not '64'",
        "avx2 | none | qwenasr.vector.bits must be 128, 256, 512 or scalar, not 'avx2'",
        "256 | true | qwenasr.kernel.reference=true (the scalar path) contradicts qwenasr.vector.bits=256"})
    void unknownValuesAreOneLineProblemsNotFailuresOfTheClass(String bits, String alias, String message) {
        VectorWidth.Setting s = VectorWidth.parse(bits, alias);
        assertEquals(message, s.problem());
        // The kernels would still run, at the preferred width, until a model load reports it.
        assertFalse(s.scalar());
        assertEquals(FloatVector.SPECIES_PREFERRED, s.species());
    }
}

/*
 * ring_dump.c - dump Open MPI's MPI_Allreduce(MPI_SUM, MPI_FLOAT) bits for wirekit's
 * bit-exactness test (test/node/allreduce/ompi-bitexact.test.ts).
 *
 * Usage: mpirun -np N ring_dump OUTDIR SEED COUNT [COUNT...]
 *
 * For every COUNT, each rank r fills a float32 buffer of COUNT elements from a
 * deterministic generator (SEED, r, COUNT, i) with mixed magnitudes (2^-24 .. 2^14,
 * both signs) so that the summation order changes the rounded result, calls
 * MPI_Allreduce(sbuf, rbuf, COUNT, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD) (not in place),
 * and writes OUTDIR/c<COUNT>_r<r>.bin = COUNT input words then COUNT result words
 * (raw IEEE-754 binary32, host byte order = little-endian on x86-64/arm64).
 *
 * The JS side reads the inputs back from these files, so it never re-implements the
 * generator. Exit status 0 on success; any I/O error aborts the job.
 */
#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: small, well-mixed, deterministic. */
static uint64_t mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static float gen_value(uint64_t seed, int rank, long count, long i) {
    uint64_t h = mix64(seed ^ mix64((uint64_t)rank * 1000003ULL ^ mix64((uint64_t)count) ^ ((uint64_t)i << 20)));
    uint32_t mant = (uint32_t)(h & 0xFFFFFFu) | 0x800000u; /* 24-bit significand */
    int exp = (int)((h >> 24) % 39u) - 47;                   /* value in [2^-24, 2^15) */
    float v = ldexpf((float)mant, exp);
    return ((h >> 40) & 1u) ? -v : v;
}

int main(int argc, char **argv) {
    int rank, size;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc < 4) {
        if (rank == 0) fprintf(stderr, "usage: %s OUTDIR SEED COUNT [COUNT...]\n", argv[0]);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    const char *outdir = argv[1];
    uint64_t seed = strtoull(argv[2], NULL, 10);
    for (int a = 3; a < argc; a++) {
        long count = strtol(argv[a], NULL, 10);
        if (count < 1) MPI_Abort(MPI_COMM_WORLD, 2);
        float *sbuf = malloc(sizeof(float) * (size_t)count);
        float *rbuf = malloc(sizeof(float) * (size_t)count);
        if (!sbuf || !rbuf) MPI_Abort(MPI_COMM_WORLD, 3);
        for (long i = 0; i < count; i++) sbuf[i] = gen_value(seed, rank, count, i);
        if (MPI_Allreduce(sbuf, rbuf, (int)count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD) != MPI_SUCCESS)
            MPI_Abort(MPI_COMM_WORLD, 4);
        char path[4096];
        snprintf(path, sizeof path, "%s/c%ld_r%d.bin", outdir, count, rank);
        FILE *f = fopen(path, "wb");
        if (!f) MPI_Abort(MPI_COMM_WORLD, 5);
        if (fwrite(sbuf, sizeof(float), (size_t)count, f) != (size_t)count ||
            fwrite(rbuf, sizeof(float), (size_t)count, f) != (size_t)count || fclose(f) != 0)
            MPI_Abort(MPI_COMM_WORLD, 6);
        free(sbuf);
        free(rbuf);
    }
    MPI_Finalize();
    return 0;
}

/* replay.c: main() for the fuzz targets outside libFuzzer (gcc or clang, ASan+UBSan), so
** `make test` replays the corpora and every kept finding without clang's fuzzer runtime:
**   LUMO_FUZZ_TARGET=claude dist/fuzz_replay FILE...
** Each file is one input; a crash or a sanitizer report ends the process non-zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      perror(argv[i]);
      return 2;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
  }
  return 0;
}

/* A stand-in for a vendor's WLT photo decoder: int unpack(const uchar *wlt, uchar *bmp, int flags) -> 1 on success.
 *
 * It writes a valid 102x126 24-bit BMP (38,862 bytes) whose pixels repeat the WLT bytes, so a test can recognise it;
 * a WLT whose first byte is 0xFF is "corrupt" and gives -2, as real decoders refuse a damaged image.
 */
#include <string.h>

#define WIDTH 102
#define HEIGHT 126
#define ROW 308 /* 102 * 3 rounded up to a multiple of 4 */
#define SIZE (54 + ROW * HEIGHT)

static void put32(unsigned char *at, unsigned int value)
{
    for (int i = 0; i < 4; i++)
        at[i] = (unsigned char)(value >> (8 * i));
}

int unpack(const unsigned char *wlt, unsigned char *bmp, int flags)
{
    (void)flags;
    if (wlt[0] == 0xFF)
        return -2;
    memset(bmp, 0, SIZE);
    bmp[0] = 'B';
    bmp[1] = 'M';
    put32(bmp + 2, SIZE);
    put32(bmp + 10, 54);
    put32(bmp + 14, 40);
    put32(bmp + 18, WIDTH);
    put32(bmp + 22, HEIGHT);
    bmp[26] = 1;
    bmp[28] = 24;
    put32(bmp + 34, ROW * HEIGHT);
    for (int i = 0; i < ROW * HEIGHT; i++)
        bmp[54 + i] = wlt[i % 1024];
    return 1;
}

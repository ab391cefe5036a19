/* A stand-in for the vendors' sdtapi library (SDT_* functions), for tests: same signatures, same return codes.
 *
 * 0x90 success, 0x9F card found, 0x80 no card, 0x81 select failed, 0x41 read failed (card gone), 0x01 port open
 * failed, 0x02 no answer in time (the reader is gone, or its port was not opened). Only USB port 1001 and serial
 * port 1 have a reader. The test controls the card with the fake_* functions; a failing SDT_ReadBaseMsg scribbles into
 * the caller's buffers first, as a half-done read would.
 */
#include <string.h>

#define TEXT_LEN 256
#define PHOTO_LEN 1024

static unsigned char text[TEXT_LEN];
static unsigned char photo[PHOTO_LEN];
static int card_present = 0;
static int open_port = 0;
static int plugged = 1;
static int fail_read_code = 0;
static int calls = 0;
static unsigned int text_answer_len = TEXT_LEN;

void fake_put_card(const unsigned char *new_text, const unsigned char *new_photo)
{
    memcpy(text, new_text, TEXT_LEN);
    memcpy(photo, new_photo, PHOTO_LEN);
    card_present = 1;
}

void fake_remove_card(void) { card_present = 0; }
void fake_unplug(int unplugged) { plugged = !unplugged; if (unplugged) open_port = 0; }
void fake_fail_read(int code) { fail_read_code = code; }
int fake_calls(void) { return calls; }
void fake_text_length(unsigned int length) { text_answer_len = length; } /* a reader answering a short record */

static int has_reader(int port) { return plugged && (port == 1001 || port == 1); }

int SDT_OpenPort(int port)
{
    calls++;
    if (!has_reader(port))
        return 0x01;
    open_port = port;
    return 0x90;
}

int SDT_ClosePort(int port)
{
    calls++;
    if (open_port != port)
        return 0x02;
    open_port = 0;
    return 0x90;
}

static int usable(int port, int if_open)
{
    if (if_open && SDT_OpenPort(port) != 0x90)
        return 0x01;
    if (open_port != port || !plugged)
        return 0x02;
    return 0x90;
}

int SDT_StartFindIDCard(int port, unsigned char *mana_info, int if_open)
{
    int status = usable(port, if_open);
    calls++;
    if (status != 0x90)
        return status;
    memset(mana_info, 0, 4);
    return card_present ? 0x9F : 0x80;
}

int SDT_SelectIDCard(int port, unsigned char *mana_msg, int if_open)
{
    int status = usable(port, if_open);
    calls++;
    if (status != 0x90)
        return status;
    memset(mana_msg, 0, 8);
    return card_present ? 0x90 : 0x81;
}

int SDT_ReadBaseMsg(int port, unsigned char *text_out, unsigned int *text_len, unsigned char *photo_out,
                    unsigned int *photo_len, int if_open)
{
    int status = usable(port, if_open);
    calls++;
    if (status != 0x90)
        return status;
    if (!card_present)
        return 0x41;
    if (fail_read_code) {
        int code = fail_read_code;
        fail_read_code = 0;
        memcpy(text_out, text, TEXT_LEN / 2); /* half a record, then the card is gone */
        *text_len = TEXT_LEN / 2;
        *photo_len = 0;
        card_present = 0;
        return code;
    }
    memcpy(text_out, text, TEXT_LEN);
    memcpy(photo_out, photo, PHOTO_LEN);
    *text_len = text_answer_len;
    *photo_len = PHOTO_LEN;
    return 0x90;
}

/* A stand-in for the vendors' termb library (CVR_* and Get* functions), for tests: same signatures and codes.
 *
 * CVR_InitComm: 1 opened, 0 no reader (only USB 1001 and serial 1 have one). CVR_Authenticate: 1 card found and
 * authenticated, 2 no card (or the code the test forces with fake_force_authenticate). CVR_Read_Content: 1 read, 3
 * read failed (card gone). Get*: 1, with the field in GBK and its length; 0 when nothing was read. The test sets the
 * fields (already GBK-encoded) with fake_set_field.
 */
#include <string.h>

#define FIELDS 12
#define FIELD_MAX 128

static const char *names[FIELDS] = {"name", "sex", "nation", "nation_code", "birth", "address", "number",
                                    "department", "start", "end", "cert_type", "bmp"};
static char values[FIELDS][FIELD_MAX];
static int lengths[FIELDS];
static int card_present = 0;
static int opened = 0;
static int content_read = 0;
static int fail_read_code = 0;
static int forced_authenticate = 0;

static int field_index(const char *name)
{
    for (int i = 0; i < FIELDS; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int fake_set_field(const char *name, const char *value, int length)
{
    int i = field_index(name);
    if (i < 0 || length < 0 || length > FIELD_MAX)
        return 0;
    memcpy(values[i], value, length);
    lengths[i] = length;
    return 1;
}

void fake_put_card(int present) { card_present = present; content_read = 0; }
void fake_fail_read(int code) { fail_read_code = code; }
void fake_force_authenticate(int code) { forced_authenticate = code; } /* 0: answer as the card says */

int CVR_InitComm(int port)
{
    if (port != 1001 && port != 1)
        return 0;
    opened = 1;
    return 1;
}

int CVR_CloseComm(void)
{
    opened = 0;
    content_read = 0;
    return 1;
}

int CVR_Authenticate(void)
{
    if (forced_authenticate)
        return forced_authenticate;
    if (!opened)
        return -1;
    return card_present ? 1 : 2;
}

int CVR_Read_Content(int active)
{
    (void)active;
    content_read = 0;
    if (!opened)
        return -1;
    if (!card_present)
        return 3;
    if (fail_read_code) {
        int code = fail_read_code;
        fail_read_code = 0;
        card_present = 0;
        return code;
    }
    content_read = 1;
    return 1;
}

static int get(const char *name, unsigned char *out, int *length)
{
    int i = field_index(name);
    if (!content_read || i < 0)
        return 0;
    memcpy(out, values[i], lengths[i]);
    if (i != field_index("bmp"))
        out[lengths[i]] = 0;
    *length = lengths[i];
    return 1;
}

int GetPeopleName(unsigned char *out, int *length) { return get("name", out, length); }
int GetPeopleSex(unsigned char *out, int *length) { return get("sex", out, length); }
int GetPeopleNation(unsigned char *out, int *length) { return get("nation", out, length); }
int GetNationCode(unsigned char *out, int *length) { return get("nation_code", out, length); }
int GetPeopleBirthday(unsigned char *out, int *length) { return get("birth", out, length); }
int GetPeopleAddress(unsigned char *out, int *length) { return get("address", out, length); }
int GetPeopleIDCode(unsigned char *out, int *length) { return get("number", out, length); }
int GetDepartment(unsigned char *out, int *length) { return get("department", out, length); }
int GetStartDate(unsigned char *out, int *length) { return get("start", out, length); }
int GetEndDate(unsigned char *out, int *length) { return get("end", out, length); }
int GetCertType(unsigned char *out, int *length) { return get("cert_type", out, length); }
int GetBMPData(unsigned char *out, int *length) { return get("bmp", out, length); }

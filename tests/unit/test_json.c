/* test_json: string escaping and the fixed-buffer object writer used by the
 * trace lines and the exit report; output must stay valid or say it is not. */
#include "json.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_main.h"

static char out[256];

static const char *esc(const char *s)
{
	size_t n;

	memset(out, 'X', sizeof(out));
	n = json_escape(s, out, sizeof(out));
	ck_assert_uint_eq(n, strlen(out));
	return out;
}

START_TEST(escape_quote_and_backslash)
{
	ck_assert_str_eq(esc("a\"b"), "a\\\"b");
	ck_assert_str_eq(esc("a\\b"), "a\\\\b");
	ck_assert_str_eq(esc("\"\\\""), "\\\"\\\\\\\"");
}
END_TEST

START_TEST(escape_newline_tab_return)
{
	ck_assert_str_eq(esc("a\nb\tc\rd"), "a\\nb\\tc\\rd");
}
END_TEST

START_TEST(escape_control_chars_as_u00xx)
{
	ck_assert_str_eq(esc("\x01"), "\\u0001");
	ck_assert_str_eq(esc("a\x1f" "b"), "a\\u001fb");
	ck_assert_str_eq(esc("\x1b[0m"), "\\u001b[0m");
	ck_assert_str_eq(esc("\b\f"), "\\u0008\\u000c");
}
END_TEST

START_TEST(escape_del_as_u007f)
{
	ck_assert_str_eq(esc("\x7f"), "\\u007f");
}
END_TEST

START_TEST(escape_passes_utf8_bytes_through)
{
	ck_assert_str_eq(esc("h\xc3\xa9llo"), "h\xc3\xa9llo");
	ck_assert_str_eq(esc("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");
	ck_assert_str_eq(esc("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}
END_TEST

/* Invalid UTF-8 must not reach the output raw, or the JSON does not
 * parse: each offending byte becomes U+FFFD. */
START_TEST(escape_replaces_invalid_utf8_bytes)
{
	ck_assert_str_eq(esc("a\xff" "b"), "a\\ufffdb");
	ck_assert_str_eq(esc("\x80"), "\\ufffd");                    /* stray continuation */
	ck_assert_str_eq(esc("\xc0\xaf"), "\\ufffd\\ufffd");         /* overlong '/' */
	ck_assert_str_eq(esc("\xe0\x80\xaf"), "\\ufffd\\ufffd\\ufffd"); /* overlong */
	ck_assert_str_eq(esc("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd"); /* surrogate */
	ck_assert_str_eq(esc("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd"); /* > U+10FFFF */
	ck_assert_str_eq(esc("\xf5"), "\\ufffd");
	ck_assert_str_eq(esc("x\xe6\x97"), "x\\ufffd\\ufffd");        /* cut short at the end */
	ck_assert_str_eq(esc("\xc3" "A"), "\\ufffdA");
	ck_assert_str_eq(esc("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");  /* U+10FFFF is valid */
	ck_assert_str_eq(esc("\xed\x9f\xbf"), "\xed\x9f\xbf");          /* U+D7FF is valid */
}
END_TEST

/* A truncated prefix never ends inside a multi-byte character. */
START_TEST(escape_truncation_never_splits_a_character)
{
	char small[5];

	ck_assert_uint_eq(json_escape("ab\xe6\x97\xa5", small, sizeof(small)), 5);
	ck_assert_str_eq(small, "ab");
}
END_TEST

START_TEST(str_max_cuts_long_values_with_a_marker)
{
	static char big[5000];
	char buf[2048];
	struct json j;
	long n;

	memset(big, 'a', sizeof(big) - 1);
	json_begin(&j, buf, sizeof(buf));
	json_str_max(&j, "k", big, 20);
	n = json_end(&j);
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(buf, "{\"k\":\"aaaaaaaaaaaaaaaaa...\"}");
	/* short values are untouched, NULL is null */
	json_begin(&j, buf, sizeof(buf));
	json_str_max(&j, "k", "short", 20);
	json_str_max(&j, "n", NULL, 20);
	ck_assert_int_gt(json_end(&j), 0);
	ck_assert_str_eq(buf, "{\"k\":\"short\",\"n\":null}");
	/* a cap above JSON_STR_MAX is held to it: the object still fits */
	json_begin(&j, buf, sizeof(buf));
	json_str_max(&j, "k", big, 100000);
	n = json_end(&j);
	ck_assert_int_eq(n, (long)strlen("{\"k\":\"\"}") + JSON_STR_MAX);
}
END_TEST

START_TEST(str_max_never_cuts_inside_an_escape)
{
	char buf[256];
	struct json j;

	/* "ab" then escapes of 6 bytes: 2 + 6 = 8 > 10 - 3, so one escape goes */
	json_begin(&j, buf, sizeof(buf));
	json_str_max(&j, "k", "ab\x01\x01\x01", 10);
	ck_assert_int_gt(json_end(&j), 0);
	ck_assert_str_eq(buf, "{\"k\":\"ab...\"}");
	json_begin(&j, buf, sizeof(buf));
	json_str_max(&j, "k", "ab\xff\xff\xff", 11);
	ck_assert_int_gt(json_end(&j), 0);
	ck_assert_str_eq(buf, "{\"k\":\"ab\\ufffd...\"}");
}
END_TEST

START_TEST(escape_plain_text_unchanged)
{
	ck_assert_str_eq(esc(""), "");
	ck_assert_str_eq(esc("hello world /x"), "hello world /x");
}
END_TEST

START_TEST(escape_truncation_returns_needed_length)
{
	char small[5];

	memset(small, 'X', sizeof(small));
	ck_assert_uint_eq(json_escape("abcdefgh", small, sizeof(small)), 8);
	ck_assert_str_eq(small, "abcd");
}
END_TEST

/* A truncated result holds only whole escapes and no stale bytes: it is a
 * prefix of the full escape that ends on an escape boundary. */
START_TEST(escape_truncation_never_splits_an_escape)
{
	char small[10];

	memset(small, 'X', sizeof(small));
	ck_assert_uint_eq(json_escape("abcdefgh\x01z", small, sizeof(small)), 15);
	ck_assert_str_eq(small, "abcdefgh");

	memset(small, 'X', sizeof(small));
	ck_assert_uint_eq(json_escape("abcdefgh\"z", small, sizeof(small)), 11);
	ck_assert_str_eq(small, "abcdefgh");
}
END_TEST

START_TEST(escape_exact_fit_and_zero_cap)
{
	char buf[4];
	char canary = 'C';

	ck_assert_uint_eq(json_escape("abc", buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(json_escape("abcd", buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(json_escape("a\n", &canary, 0), 3);
	ck_assert_int_eq(canary, 'C');
}
END_TEST

START_TEST(object_with_every_member_type)
{
	char buf[256];
	struct json j;
	long n;

	json_begin(&j, buf, sizeof(buf));
	json_str(&j, "s", "a\"b\n");
	json_int(&j, "i", -42);
	json_int(&j, "big", 9223372036854775807LL);
	json_bool(&j, "t", true);
	json_bool(&j, "f", false);
	json_null(&j, "z");
	json_str(&j, "ns", NULL);
	json_double(&j, "d", 1.5);
	n = json_end(&j);
	ck_assert_str_eq(buf, "{\"s\":\"a\\\"b\\n\",\"i\":-42,\"big\":9223372036854775807,"
			      "\"t\":true,\"f\":false,\"z\":null,\"ns\":null,\"d\":1.500000}");
	ck_assert_int_eq(n, (long)strlen(buf));
}
END_TEST

START_TEST(empty_object)
{
	char buf[8];
	struct json j;

	json_begin(&j, buf, sizeof(buf));
	ck_assert_int_eq(json_end(&j), 2);
	ck_assert_str_eq(buf, "{}");
}
END_TEST

START_TEST(keys_are_escaped)
{
	char buf[64];
	struct json j;

	json_begin(&j, buf, sizeof(buf));
	json_int(&j, "a\"k", 1);
	ck_assert_int_gt(json_end(&j), 0);
	ck_assert_str_eq(buf, "{\"a\\\"k\":1}");
}
END_TEST

/* NaN or infinity printed with %f would be "nan"/"inf": not JSON. */
START_TEST(non_finite_double_is_null)
{
	char buf[64];
	struct json j;

	json_begin(&j, buf, sizeof(buf));
	json_double(&j, "a", NAN);
	json_double(&j, "b", INFINITY);
	ck_assert_int_gt(json_end(&j), 0);
	ck_assert_str_eq(buf, "{\"a\":null,\"b\":null}");
}
END_TEST

START_TEST(overflow_returns_minus_one_and_stays_terminated)
{
	char buf[32];
	struct json j;
	const size_t cap = 16;

	memset(buf, 'C', sizeof(buf));
	json_begin(&j, buf, cap);
	json_str(&j, "message", "this does not fit in sixteen bytes");
	json_int(&j, "n", 1);
	ck_assert_int_eq(json_end(&j), -1);
	ck_assert_uint_lt(strnlen(buf, cap), cap);
	for (size_t i = cap; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 'C');
}
END_TEST

START_TEST(exact_fit_succeeds_one_byte_less_overflows)
{
	static const char want[] = "{\"k\":\"v\"}";
	char buf[sizeof(want)];
	struct json j;

	json_begin(&j, buf, sizeof(want));
	json_str(&j, "k", "v");
	ck_assert_int_eq(json_end(&j), (long)strlen(want));
	ck_assert_str_eq(buf, want);

	json_begin(&j, buf, sizeof(want) - 1);
	json_str(&j, "k", "v");
	ck_assert_int_eq(json_end(&j), -1);
	ck_assert_uint_lt(strnlen(buf, sizeof(want) - 1), sizeof(want) - 1);
}
END_TEST

START_TEST(value_longer_than_internal_buffer_is_overflow)
{
	static char big[2000];
	static char buf[8192];
	struct json j;

	memset(big, 'a', sizeof(big) - 1);
	json_begin(&j, buf, sizeof(buf));
	json_str(&j, "k", big);
	ck_assert_int_eq(json_end(&j), -1);
}
END_TEST

START_TEST(zero_capacity_is_overflow)
{
	char canary = 'C';
	struct json j;

	json_begin(&j, &canary, 0);
	json_int(&j, "n", 1);
	ck_assert_int_eq(json_end(&j), -1);
	ck_assert_int_eq(canary, 'C');
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *e = tcase_create("escape");
	TCase *o = tcase_create("object");

	tcase_add_test(e, escape_quote_and_backslash);
	tcase_add_test(e, escape_newline_tab_return);
	tcase_add_test(e, escape_control_chars_as_u00xx);
	tcase_add_test(e, escape_del_as_u007f);
	tcase_add_test(e, escape_passes_utf8_bytes_through);
	tcase_add_test(e, escape_plain_text_unchanged);
	tcase_add_test(e, escape_replaces_invalid_utf8_bytes);
	tcase_add_test(e, escape_truncation_never_splits_a_character);
	tcase_add_test(e, escape_truncation_returns_needed_length);
	tcase_add_test(e, escape_truncation_never_splits_an_escape);
	tcase_add_test(e, escape_exact_fit_and_zero_cap);
	suite_add_tcase(s, e);

	tcase_add_test(o, object_with_every_member_type);
	tcase_add_test(o, empty_object);
	tcase_add_test(o, keys_are_escaped);
	tcase_add_test(o, non_finite_double_is_null);
	tcase_add_test(o, overflow_returns_minus_one_and_stays_terminated);
	tcase_add_test(o, exact_fit_succeeds_one_byte_less_overflows);
	tcase_add_test(o, value_longer_than_internal_buffer_is_overflow);
	tcase_add_test(o, zero_capacity_is_overflow);
	tcase_add_test(o, str_max_cuts_long_values_with_a_marker);
	tcase_add_test(o, str_max_never_cuts_inside_an_escape);
	suite_add_tcase(s, o);
	return s;
}

int main(void)
{
	return run_suite(json_suite(), KEEP_FORK_STATUS);
}

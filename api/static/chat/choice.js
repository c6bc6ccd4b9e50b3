// A resident may answer the buttons by saying which one: "第二个", "第3项", or a bare "1" / "２".
// The answer picks that button exactly as a click would. A bare number picks only among buttons
// without digits of their own (services, halls, 确认/修改): among dates and times "8" may mean the
// 8th or 8 o'clock, so there it stays an ordinary message for the bot to read. WeChat, which shows
// buttons as a numbered list, reads numbers in bot/channels/wechat_replies.py.

const NUMERALS = "一二三四五六七八九";
const ORDINAL = /^第([0-9]{1,2}|[一二三四五六七八九])(个|项|条|种)?$/;
const BARE = /^[0-9]{1,2}$/;
const HAS_DIGIT = /[0-9]/;

// Full-width digits and punctuation read as their ASCII forms ("２" is "2").
function plain(text) { return text.normalize("NFKC"); }

// The 0-based index of the button among `titles` that the text names, or -1.
export function chosenIndex(text, titles) {
  const said = plain(text).replace(/\s+/g, "").replace(/[.。、!]$/, "");
  let number = null;
  const ordinal = ORDINAL.exec(said);
  if (ordinal) {
    number = ordinal[1];
  } else if (BARE.test(said) && !titles.some((title) => HAS_DIGIT.test(plain(title)))) {
    number = said;
  }
  if (number === null) { return -1; }
  const n = NUMERALS.includes(number) ? NUMERALS.indexOf(number) + 1 : Number(number);
  return n >= 1 && n <= titles.length ? n - 1 : -1;
}

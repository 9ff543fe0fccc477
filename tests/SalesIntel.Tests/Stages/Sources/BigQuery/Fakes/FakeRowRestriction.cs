using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Apache.Arrow;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// The fake's evaluator for the row restrictions SalesIntel sends: comparisons of a column with a constant
/// (<c>=, !=, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=</c>, <c>BETWEEN .. AND ..</c>, <c>LIKE</c>, <c>IS [NOT] NULL</c>) joined by
/// AND / OR / NOT with parentheses, over DATE, STRING and INT64 columns, with SQL's three-valued logic for NULLs. Anything else is a <see cref="FormatException"/>, which the fake answers with
/// INVALID_ARGUMENT as BigQuery would.
/// </summary>
internal sealed class FakeRowRestriction
{
    private readonly List<string> _tokens;
    private int _at;

    private FakeRowRestriction(string text) => _tokens = Tokenize(text);

    /// <summary>Compiles <paramref name="text"/> against <paramref name="schema"/>: a predicate on (batch, row).</summary>
    public static Func<RecordBatch, int, bool> Compile(string text, Schema schema)
    {
        var parser = new FakeRowRestriction(text);
        var predicate = parser.Or(schema);
        if (parser._at != parser._tokens.Count)
        {
            throw new FormatException($"Syntax error: Unexpected \"{parser._tokens[parser._at]}\"");
        }

        // A WHERE clause keeps a row only when the condition is TRUE (not FALSE, not NULL).
        return (b, i) => predicate(b, i) == true;
    }

    private Func<RecordBatch, int, bool?> Or(Schema schema)
    {
        var left = And(schema);
        while (Accept("OR"))
        {
            var l = left;
            var r = And(schema);
            left = (b, i) => (l(b, i), r(b, i)) switch
            {
                (true, _) or (_, true) => true,
                (null, _) or (_, null) => null,
                _ => false,
            };
        }

        return left;
    }

    private Func<RecordBatch, int, bool?> And(Schema schema)
    {
        var left = Not(schema);
        while (Accept("AND"))
        {
            var l = left;
            var r = Not(schema);
            left = (b, i) => (l(b, i), r(b, i)) switch
            {
                (false, _) or (_, false) => false,
                (null, _) or (_, null) => null,
                _ => true,
            };
        }

        return left;
    }

    private Func<RecordBatch, int, bool?> Not(Schema schema)
    {
        if (Accept("NOT"))
        {
            var inner = Not(schema);
            return (b, i) => !inner(b, i);
        }

        return Atom(schema);
    }

    private Func<RecordBatch, int, bool?> Atom(Schema schema)
    {
        if (Accept("("))
        {
            var inner = Or(schema);
            Expect(")");
            return inner;
        }

        var column = Next();
        var index = schema.GetFieldIndex(column, StringComparer.OrdinalIgnoreCase);
        if (index < 0)
        {
            throw new FormatException($"Unrecognized name: {column}");
        }

        if (Accept("IS"))
        {
            var negated = Accept("NOT");
            Expect("NULL");
            return (b, i) => b.Column(index).IsNull(i) != negated;
        }

        if (Accept("LIKE"))
        {
            var regex = LikePattern((string)Literal());
            return (b, i) => b.Column(index) is StringArray s
                ? s.IsNull(i) ? null : regex.IsMatch(s.GetString(i))
                : throw new FormatException($"No matching signature for operator LIKE for argument types: {b.Column(index).Data.DataType.Name}, STRING");
        }

        if (Accept("BETWEEN"))
        {
            var low = Literal();
            Expect("AND");
            var high = Literal();
            return (b, i) => Compare(b.Column(index), i, low) is { } fromLow ? fromLow >= 0 && Compare(b.Column(index), i, high) <= 0 : null;
        }

        var op = Next();
        var value = Literal();
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "!=" or "<>" => c => c != 0,
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            ">" => c => c > 0,
            ">=" => c => c >= 0,
            _ => throw new FormatException($"Syntax error: Unexpected \"{op}\""),
        };
        return (b, i) => Compare(b.Column(index), i, value) is { } c ? test(c) : null;
    }

    private static Regex LikePattern(string pattern) => new(
        "^" + string.Concat(pattern.Select(c => c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) })) + "$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>Compares a cell with a literal; null when the cell is NULL.</summary>
    private static int? Compare(IArrowArray array, int row, object literal)
    {
        if (array.IsNull(row))
        {
            return null;
        }

        return (array, literal) switch
        {
            (Date32Array d, DateOnly date) => Math.Sign(d.GetDateOnly(row)!.Value.CompareTo(date)),
            (StringArray s, string text) => Math.Sign(string.CompareOrdinal(s.GetString(row), text)),
            (Int64Array l, long n) => Math.Sign(l.GetValue(row)!.Value.CompareTo(n)),
            _ => throw new FormatException($"No matching signature for operator with argument types {array.Data.DataType.Name} and {literal.GetType().Name}"),
        };
    }

    private object Literal()
    {
        var token = Next();
        if (token.Equals("DATE", StringComparison.OrdinalIgnoreCase))
        {
            var text = Next();
            return DateOnly.ParseExact(Unquote(text), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (token.StartsWith('\''))
        {
            return Unquote(token);
        }

        return long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"Syntax error: Unexpected \"{token}\"");
    }

    private static string Unquote(string token)
    {
        if (token.Length < 2 || token[0] != '\'' || token[^1] != '\'')
        {
            throw new FormatException($"Syntax error: expected a string literal, got {token}");
        }

        var sb = new StringBuilder();
        for (var i = 1; i < token.Length - 1; i++)
        {
            if (token[i] == '\\')
            {
                i++;
                if (token[i] == 'x')
                {
                    sb.Append((char)Convert.ToInt32(token.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }
            }

            sb.Append(token[i]);
        }

        return sb.ToString();
    }

    private bool Accept(string token)
    {
        if (_at < _tokens.Count && _tokens[_at].Equals(token, StringComparison.OrdinalIgnoreCase))
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new FormatException($"Syntax error: Expected \"{token}\"");
        }
    }

    private string Next() => _at < _tokens.Count ? _tokens[_at++] : throw new FormatException("Syntax error: Unexpected end of expression");

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var start = i++;
                while (i < text.Length && text[i] != '\'')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                tokens.Add(text[start..Math.Min(++i, text.Length)]);
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '<' or '>' or '=' or '!')
            {
                var two = i + 1 < text.Length && text[i + 1] is '=' or '>' ? text.Substring(i, 2) : c.ToString();
                tokens.Add(two);
                i += two.Length;
            }
            else
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
                {
                    i++;
                }

                if (start == i)
                {
                    throw new FormatException($"Syntax error: Illegal input character \"{c}\"");
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }
}

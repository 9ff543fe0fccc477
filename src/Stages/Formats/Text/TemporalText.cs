using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace SalesIntel.Stages.Formats.Text;

/// <summary>
/// Parses and formats BigQuery's text forms of DATE, DATETIME, TIME and TIMESTAMP on UTF-8 bytes, without
/// allocating. Values are Arrow's: days since 1970-01-01 for DATE, microseconds for the others.
/// </summary>
internal static class TemporalText
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerDay = 86_400 * MicrosPerSecond;

    /// <summary>First day number (since 1970-01-01) of DATE 0001-01-01 and last of 9999-12-31: BigQuery's DATE range.</summary>
    public const int MinDateDay = -719_162;

    /// <inheritdoc cref="MinDateDay"/>
    public const int MaxDateDay = 2_932_896;

    /// <summary>Microseconds since the epoch of 0001-01-01T00:00:00 and of 9999-12-31T23:59:59.999999 (BigQuery's TIMESTAMP and DATETIME range).</summary>
    public const long MinMicros = MinDateDay * MicrosPerDay;

    /// <inheritdoc cref="MinMicros"/>
    public const long MaxMicros = ((MaxDateDay + 1) * MicrosPerDay) - 1;

    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDate(ReadOnlySpan<byte> s, out int days)
    {
        var pos = 0;
        if (!TryParseDatePart(s, ref pos, out days) || pos != s.Length)
        {
            days = 0;
            return false;
        }

        return true;
    }

    /// <summary><c>HH:mm:ss[.ffffff]</c> (up to 9 fraction digits, those past the 6th must be 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTime(ReadOnlySpan<byte> s, out long micros)
    {
        var pos = 0;
        return TryParseTimePart(s, ref pos, out micros) && pos == s.Length;
    }

    /// <summary><c>yyyy-MM-dd[T| ]HH:mm:ss[.ffffff]</c>, no zone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDateTime(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        var pos = 0;
        if (!TryParseDatePart(s, ref pos, out var days))
        {
            return false;
        }

        if (pos == s.Length)
        {
            micros = days * MicrosPerDay;
            return true;
        }

        if (s[pos] is not ((byte)'T' or (byte)'t' or (byte)' '))
        {
            return false;
        }

        pos++;
        if (!TryParseTimePart(s, ref pos, out var time) || pos != s.Length)
        {
            return false;
        }

        micros = (days * MicrosPerDay) + time;
        return true;
    }

    /// <summary>
    /// ISO 8601 with <c>Z</c> or an offset (<c>+02:00</c>, <c>+0200</c>, <c>+02</c>), BigQuery's export form
    /// <c>2024-05-01 10:20:30.123456 UTC</c>, or no zone at all (UTC, as BigQuery reads it); normalised to UTC.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        var pos = 0;
        if (!TryParseDatePart(s, ref pos, out var days))
        {
            return false;
        }

        long time = 0;
        if (pos < s.Length && s[pos] is (byte)'T' or (byte)'t' or (byte)' ' && pos + 1 < s.Length && IsDigit(s[pos + 1]))
        {
            pos++;
            if (!TryParseTimePart(s, ref pos, out time))
            {
                return false;
            }
        }

        if (pos < s.Length && s[pos] == (byte)' ')
        {
            pos++;
        }

        long offsetMicros = 0;
        var zone = s[pos..];
        if (zone.IsEmpty || zone.SequenceEqual("Z"u8) || zone.SequenceEqual("z"u8) || zone.SequenceEqual("UTC"u8))
        {
            offsetMicros = 0;
        }
        else if (zone[0] is (byte)'+' or (byte)'-')
        {
            if (!TryParseOffset(zone, out offsetMicros))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        var value = (days * MicrosPerDay) + time - offsetMicros;
        if (value < MinMicros || value > MaxMicros)
        {
            return false;
        }

        micros = value;
        return true;
    }

    /// <summary>Writes <c>yyyy-MM-dd</c> (10 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatDate(int days, Span<byte> destination)
    {
        var date = DateOnly.FromDayNumber(EpochDayNumber + days);
        Write4(date.Year, destination);
        destination[4] = (byte)'-';
        Write2(date.Month, destination[5..]);
        destination[7] = (byte)'-';
        Write2(date.Day, destination[8..]);
        return 10;
    }

    /// <summary>Writes a DATETIME (<c>yyyy-MM-ddTHH:mm:ss[.ffffff]</c>) or, with <paramref name="utc"/>, a TIMESTAMP ending in Z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FormatMicros(long micros, bool utc, Span<byte> destination)
    {
        var days = micros / MicrosPerDay;
        var inDay = micros % MicrosPerDay;
        if (inDay < 0)
        {
            days--;
            inDay += MicrosPerDay;
        }

        var n = FormatDate((int)days, destination);
        destination[n++] = (byte)'T';
        n += FormatTime(inDay, destination[n..]);
        if (utc)
        {
            destination[n++] = (byte)'Z';
        }

        return n;
    }

    /// <summary>Writes <c>HH:mm:ss[.ffffff]</c>; the fraction only when non-zero, always six digits.</summary>
    public static int FormatTime(long micros, Span<byte> destination)
    {
        var seconds = micros / MicrosPerSecond;
        var fraction = (int)(micros % MicrosPerSecond);
        Write2((int)(seconds / 3600), destination);
        destination[2] = (byte)':';
        Write2((int)(seconds / 60 % 60), destination[3..]);
        destination[5] = (byte)':';
        Write2((int)(seconds % 60), destination[6..]);
        if (fraction == 0)
        {
            return 8;
        }

        destination[8] = (byte)'.';
        Utf8Formatter.TryFormat(fraction, destination[9..], out _, new System.Buffers.StandardFormat('D', 6));
        return 15;
    }

    private static bool TryParseDatePart(ReadOnlySpan<byte> s, ref int pos, out int days)
    {
        days = 0;
        if (s.Length - pos < 10 || s[pos + 4] != (byte)'-' || s[pos + 7] != (byte)'-'
            || !TryDigits(s.Slice(pos, 4), out var year) || !TryDigits(s.Slice(pos + 5, 2), out var month) || !TryDigits(s.Slice(pos + 8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        days = new DateOnly(year, month, day).DayNumber - EpochDayNumber;
        pos += 10;
        return true;
    }

    private static bool TryParseTimePart(ReadOnlySpan<byte> s, ref int pos, out long micros)
    {
        micros = 0;
        if (s.Length - pos < 8 || s[pos + 2] != (byte)':' || s[pos + 5] != (byte)':'
            || !TryDigits(s.Slice(pos, 2), out var hour) || !TryDigits(s.Slice(pos + 3, 2), out var minute) || !TryDigits(s.Slice(pos + 6, 2), out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        pos += 8;
        long fraction = 0;
        if (pos < s.Length && s[pos] == (byte)'.')
        {
            pos++;
            var digits = 0;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                if (digits < 6)
                {
                    fraction = (fraction * 10) + (s[pos] - '0');
                }
                else if (s[pos] != (byte)'0')
                {
                    return false; // finer than a microsecond: BigQuery cannot hold it, and rounding would change the value
                }

                digits++;
                pos++;
            }

            if (digits is 0 or > 9)
            {
                return false;
            }

            for (var i = digits; i < 6; i++)
            {
                fraction *= 10;
            }
        }

        micros = (((hour * 3600L) + (minute * 60L) + second) * MicrosPerSecond) + fraction;
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<byte> zone, out long micros)
    {
        micros = 0;
        var sign = zone[0] == (byte)'-' ? -1 : 1;
        var rest = zone[1..];
        var minutes = 0;
        var valid = rest.Length switch
        {
            2 => true,
            4 => TryDigits(rest[2..], out minutes),
            5 => rest[2] == (byte)':' && TryDigits(rest[3..], out minutes),
            _ => false,
        };
        if (!valid || !TryDigits(rest[..2], out var hours) || hours > 18 || minutes > 59)
        {
            return false;
        }

        micros = sign * ((hours * 3600L) + (minutes * 60L)) * MicrosPerSecond;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static void Write2(int value, Span<byte> destination)
    {
        destination[0] = (byte)('0' + (value / 10));
        destination[1] = (byte)('0' + (value % 10));
    }

    private static void Write4(int value, Span<byte> destination)
    {
        destination[0] = (byte)('0' + (value / 1000));
        destination[1] = (byte)('0' + (value / 100 % 10));
        destination[2] = (byte)('0' + (value / 10 % 10));
        destination[3] = (byte)('0' + (value % 10));
    }
}

using System.Buffers.Text;
using System.Buffers;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Stages.Fixtures.Internal;

/// <summary>
/// Appends generated account rows straight into the Arrow column builders: no row objects, no strings, no LINQ.
/// Account attributes (name, size, stage) come from a generator seeded by (seed, account), so an account looks the
/// same on every date; the daily signals come from one seeded by (seed, account, day).
/// </summary>
internal sealed class AccountRowGenerator
{
    private const double NullRate = 0.03;
    private const int AsciiStems = 27;
    private static readonly Int128 CentsToUnscaled = 10_000_000; // NUMERIC scale 9: cents × 10^7
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly int _seed;
    private readonly RowBatchBuilder _builder;
    private readonly StringColumnBuilder _accountId;
    private readonly StringColumnBuilder _accountName;
    private readonly StringColumnBuilder _domain;
    private readonly StringColumnBuilder _industry;
    private readonly StringColumnBuilder _country;
    private readonly StringColumnBuilder _lifecycle;
    private readonly StringColumnBuilder _owner;
    private readonly Int64ColumnBuilder _employees;
    private readonly Decimal128ColumnBuilder _revenue;
    private readonly Decimal128ColumnBuilder _arr;
    private readonly Int64ColumnBuilder _opportunities;
    private readonly Decimal128ColumnBuilder _pipeline;
    private readonly MicrosColumnBuilder _lastActivity;
    private readonly Date32ColumnBuilder _lastMeeting;
    private readonly Date32ColumnBuilder _renewal;
    private readonly Int64ColumnBuilder _webVisits;
    private readonly Float64ColumnBuilder _intentScore;
    private readonly ListColumnBuilder _topics;
    private readonly StringColumnBuilder _topicValues;
    private readonly Float64ColumnBuilder _usageTrend;
    private readonly Int64ColumnBuilder _tickets;
    private readonly StringColumnBuilder _notes;
    private readonly Date32ColumnBuilder _snapshot;
    private readonly byte[] _scratch = new byte[256];

    public AccountRowGenerator(int seed, int batchSize)
    {
        _seed = seed;
        _builder = new RowBatchBuilder(AccountSignalsTable.Schema, batchSize);
        _accountId = Column<StringColumnBuilder>("account_id");
        _accountName = Column<StringColumnBuilder>("account_name");
        _domain = Column<StringColumnBuilder>("domain");
        _industry = Column<StringColumnBuilder>("industry");
        _country = Column<StringColumnBuilder>("country");
        _lifecycle = Column<StringColumnBuilder>("lifecycle_stage");
        _owner = Column<StringColumnBuilder>("owner_email");
        _employees = Column<Int64ColumnBuilder>("employee_count");
        _revenue = Column<Decimal128ColumnBuilder>("annual_revenue");
        _arr = Column<Decimal128ColumnBuilder>("arr");
        _opportunities = Column<Int64ColumnBuilder>("open_opportunities");
        _pipeline = Column<Decimal128ColumnBuilder>("pipeline_amount");
        _lastActivity = Column<MicrosColumnBuilder>("last_activity_at");
        _lastMeeting = Column<Date32ColumnBuilder>("last_meeting_date");
        _renewal = Column<Date32ColumnBuilder>("renewal_date");
        _webVisits = Column<Int64ColumnBuilder>("web_visits_30d");
        _intentScore = Column<Float64ColumnBuilder>("intent_score");
        _topics = Column<ListColumnBuilder>("intent_topics");
        _topicValues = (StringColumnBuilder)_topics.Element;
        _usageTrend = Column<Float64ColumnBuilder>("product_usage_trend");
        _tickets = Column<Int64ColumnBuilder>("support_tickets_open");
        _notes = Column<StringColumnBuilder>("notes");
        _snapshot = Column<Date32ColumnBuilder>("snapshot_date");
    }

    public int RowCount => _builder.RowCount;

    public RecordBatch Build() => _builder.Build();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public void Append(long account, int day, DateOnly snapshot)
    {
        var a = SplitMix64.For(_seed, account);
        var d = SplitMix64.For(_seed, account, day + 1);
        var snapshotDays = snapshot.DayNumber - EpochDayNumber;

        // Who the account is: the same on every date.
        var idLength = WriteAccountId(account + 1, _scratch);
        _accountId.Append(_scratch.AsSpan(0, idLength));

        var stem = a.Chance(0.7) ? FixtureVocabulary.Stems[a.Next(AsciiStems)] : FixtureVocabulary.Stems[AsciiStems + a.Next(FixtureVocabulary.Stems.Length - AsciiStems)];
        var suffix = FixtureVocabulary.Suffixes[a.Next(FixtureVocabulary.Suffixes.Length)];
        if (a.Chance(0.01))
        {
            _accountName.AppendNull();
        }
        else
        {
            _accountName.Append(stem.Name, suffix);
        }

        var tld = FixtureVocabulary.TopLevelDomains[a.Next(FixtureVocabulary.TopLevelDomains.Length)];
        if (a.Chance(0.02))
        {
            _domain.AppendNull();
        }
        else
        {
            var n = Append(_scratch, 0, stem.Slug);
            _scratch[n++] = (byte)'-';
            Utf8Formatter.TryFormat(account + 1, _scratch.AsSpan(n), out var written);
            n = Append(_scratch, n + written, tld);
            _domain.Append(_scratch.AsSpan(0, n));
        }

        AppendOrNull(_industry, FixtureVocabulary.Industries[a.Next(FixtureVocabulary.Industries.Length)], a.Chance(NullRate));
        AppendOrNull(_country, FixtureVocabulary.Countries[a.Next(FixtureVocabulary.Countries.Length)], a.Chance(0.02));
        var stageRoll = a.NextDouble();
        var stage = stageRoll < 0.55 ? 0 : stageRoll < 0.90 ? 1 : 2; // prospect, customer, churned
        AppendOrNull(_lifecycle, FixtureVocabulary.Lifecycle[stage], a.Chance(0.01));
        AppendOrNull(_owner, FixtureVocabulary.Owners[a.Next(FixtureVocabulary.Owners.Length)], a.Chance(0.04));

        // Size: many small accounts, a long tail of large ones.
        var employees = (long)Math.Clamp(Math.Round(a.LogNormal(3.2, 1.5)), 1, 500_000);
        AppendOrNull(_employees, employees, a.Chance(NullRate));
        var revenueCents = (long)Math.Round(employees * a.LogNormal(11.8, 0.5) * 100);
        AppendMoneyOrNull(_revenue, revenueCents, a.Chance(0.05));
        switch (stage)
        {
            case 1:
                AppendMoneyOrNull(_arr, (long)Math.Round(revenueCents * (0.001 + (a.NextDouble() * 0.03))), a.Chance(NullRate));
                break;
            case 2:
                AppendMoneyOrNull(_arr, 0, a.Chance(0.3));
                break;
            default:
                _arr.AppendNull();
                break;
        }

        var renewalOffset = 1 + a.Next(365);

        // What happened lately: changes from day to day.
        var opportunities = stage == 2 ? 0 : (long)Math.Floor(d.LogNormal(0, 0.9)) - (stage == 0 ? 1 : 0);
        opportunities = Math.Max(0, opportunities);
        AppendOrNull(_opportunities, opportunities, d.Chance(0.02));
        var pipelineCents = opportunities == 0 ? 0 : (long)Math.Round(opportunities * d.LogNormal(9.5, 1.0) * 100);
        AppendMoneyOrNull(_pipeline, pipelineCents, d.Chance(0.04));

        if (d.Chance(0.05))
        {
            _lastActivity.AppendNull();
        }
        else
        {
            var ago = d.NextLong(120L * 86_400_000_000L);
            _lastActivity.Append((snapshotDays * 86_400_000_000L) - ago);
        }

        if (d.Chance(0.2))
        {
            _lastMeeting.AppendNull();
        }
        else
        {
            _lastMeeting.Append(snapshotDays - d.Next(180));
        }

        if (stage == 1 && !a.Chance(0.05))
        {
            _renewal.Append(snapshotDays - day + renewalOffset);
        }
        else
        {
            _renewal.AppendNull();
        }

        AppendOrNull(_webVisits, (long)Math.Floor(d.LogNormal(2.0, 1.5)), d.Chance(NullRate));
        if (d.Chance(0.1))
        {
            _intentScore.AppendNull();
        }
        else
        {
            var u = d.NextDouble();
            _intentScore.Append(Math.Round(100 * u * Math.Sqrt(u), 1));
        }

        var topics = d.Next(5);
        var firstTopic = d.Next(FixtureVocabulary.Topics.Length);
        var step = 1 + d.Next(5);
        for (var t = 0; t < topics; t++)
        {
            _topicValues.Append(FixtureVocabulary.Topics[(firstTopic + (t * step)) % FixtureVocabulary.Topics.Length]);
        }

        _topics.EndList();

        switch (stage)
        {
            case 1:
                _usageTrend.Append(Math.Round(Math.Clamp(0.02 + (0.2 * d.Gaussian()), -1, 1), 3));
                break;
            case 2:
                _usageTrend.Append(Math.Round(-0.4 - (0.6 * d.NextDouble()), 3));
                break;
            default:
                _usageTrend.AppendNull();
                break;
        }

        AppendOrNull(_tickets, stage == 1 ? Math.Max(0, (long)Math.Floor(d.LogNormal(0.5, 0.8)) - 1) : 0, d.Chance(NullRate));

        var noteRoll = d.NextDouble();
        if (noteRoll < 0.03)
        {
            _notes.Append(FixtureVocabulary.InjectionNotes[d.Next(FixtureVocabulary.InjectionNotes.Length)]);
        }
        else if (noteRoll < 0.6)
        {
            _notes.Append(FixtureVocabulary.Notes[d.Next(FixtureVocabulary.Notes.Length)]);
        }
        else
        {
            _notes.AppendNull();
        }

        _snapshot.Append(snapshotDays);
        _builder.Commit();
    }

    /// <summary>acc-000123 (six digits at least).</summary>
    public static int WriteAccountId(long account, Span<byte> destination)
    {
        "acc-"u8.CopyTo(destination);
        Utf8Formatter.TryFormat(account, destination[4..], out var written, new StandardFormat('D', 6));
        return 4 + written;
    }

    private static int Append(byte[] buffer, int at, ReadOnlySpan<byte> value)
    {
        value.CopyTo(buffer.AsSpan(at));
        return at + value.Length;
    }

    private static void AppendOrNull(StringColumnBuilder column, ReadOnlySpan<byte> value, bool isNull)
    {
        if (isNull)
        {
            column.AppendNull();
        }
        else
        {
            column.Append(value);
        }
    }

    private static void AppendOrNull(Int64ColumnBuilder column, long value, bool isNull)
    {
        if (isNull)
        {
            column.AppendNull();
        }
        else
        {
            column.Append(value);
        }
    }

    private static void AppendMoneyOrNull(Decimal128ColumnBuilder column, long cents, bool isNull)
    {
        if (isNull)
        {
            column.AppendNull();
        }
        else
        {
            column.AppendUnscaled(cents * CentsToUnscaled);
        }
    }

    private T Column<T>(string name)
        where T : ColumnBuilder => (T)_builder.Columns[_builder.Schema.IndexOf(name)];
}

using Apache.Arrow;
using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

public sealed class BigQuerySourceTests(SharedFakeBigQueryReadServer shared) : BigQuerySourceTestBase(shared)
{
    [Fact]
    public async Task OpenAsync_OneDay_AsksForArrowColumnsFilterAndCompressionWithRoutingHeader()
    {
        await using var source = Source(Options());

        var plan = await source.OpenAsync(default);

        var (request, routing) = Assert.Single(Fake.SessionRequests);
        Assert.Equal($"read_session.table={TableName}", routing);
        Assert.Equal("projects/acme-sales", request.Parent);
        Assert.Equal(4, request.MaxStreamCount);
        Assert.Equal(TableName, request.ReadSession.Table);
        Assert.Equal(DataFormat.Arrow, request.ReadSession.DataFormat);
        Assert.Equal(AccountSignalsTable.Schema.Fields.Select(f => f.Name), request.ReadSession.ReadOptions.SelectedFields);
        Assert.Equal("snapshot_date = DATE '2024-05-01'", request.ReadSession.ReadOptions.RowRestriction);
        Assert.Equal(ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame, request.ReadSession.ReadOptions.ArrowSerializationOptions.BufferCompression);
        Assert.Equal(AccountsPerDay, plan.EstimatedRows);
        Assert.True(plan.EstimatedBytes > 0);
        Assert.Equal(AccountSignalsTable.Schema.Fields.Select(f => f.TypeName), plan.Schema.Fields.Select(f => f.TypeName));
        Assert.Contains("streams: 4 (--max-streams 4)", plan.Details);
        Assert.Contains("filter: snapshot_date = DATE '2024-05-01'", plan.Details);
        Assert.Contains(plan.Details, d => d.StartsWith("columns: account_id, account_name", StringComparison.Ordinal));
        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task OpenAsync_DateRangeAndBillingProject_SendsBetweenFilterUnderTheBillingProject()
    {
        await using var source = Source(new BigQuerySourceOptions
        {
            Table = TableUri,
            Dates = DateRange.Between(Days[1], Days[2]),
            BillingProject = "acme-billing",
            Compression = BigQueryCompression.Zstd,
            EmulatorHost = Server.Host,
        });

        var plan = await source.OpenAsync(default);

        var (request, _) = Assert.Single(Fake.SessionRequests);
        Assert.Equal("projects/acme-billing", request.Parent);
        Assert.Equal("snapshot_date BETWEEN DATE '2024-05-02' AND DATE '2024-05-03'", request.ReadSession.ReadOptions.RowRestriction);
        Assert.Equal(ArrowSerializationOptions.Types.CompressionCodec.Zstd, request.ReadSession.ReadOptions.ArrowSerializationOptions.BufferCompression);
        Assert.Equal(2 * AccountsPerDay, plan.EstimatedRows);
    }

    [Theory]
    [InlineData(BigQueryCompression.None)]
    [InlineData(BigQueryCompression.Lz4Frame)]
    [InlineData(BigQueryCompression.Zstd)]
    public async Task ReadAsync_FourStreams_YieldsEveryRowOfTheDayOnceWithStreamOffsets(BigQueryCompression compression)
    {
        Fake.RowsPerResponse = 300;
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxStreams = 4, Compression = compression, EmulatorHost = Server.Host });

        var batches = await ReadAllAsync(source);

        Assert.Equal(ExpectedRows(d => d == Days[0]), CanonicalRows(batches.Select(b => b.Rows)));
        Assert.Equal(4, batches.Select(b => b.Location).Distinct().Count());
        AssertContiguousOffsets(batches);
        Assert.All(Fake.ReadRequests, r => Assert.Equal($"read_stream={r.Request.ReadStream}", r.Routing));
        Assert.All(batches, b => Assert.Equal(ArrowTypes.Describe(AccountSignalsBatches.Schema), ArrowTypes.Describe(b.Rows.Schema)));
    }

    [Fact]
    public async Task ReadAsync_AllDates_SendsNoFilterAndReadsEveryPartition()
    {
        await using var source = Source(Options(DateRange.All, maxStreams: 3));

        var batches = await ReadAllAsync(source);

        Assert.Equal("", Fake.SessionRequests.Single().Request.ReadSession.ReadOptions.RowRestriction);
        Assert.Equal(ExpectedRows(_ => true), CanonicalRows(batches.Select(b => b.Rows)));
    }

    [Fact]
    public async Task ReadAsync_FilterSelectsNothing_SessionWithoutStreamsYieldsNothing()
    {
        await using var source = Source(Options(DateRange.Single(new DateOnly(2020, 1, 1))));

        var plan = await source.OpenAsync(default);
        var batches = new List<RecordBatch>();
        await foreach (var b in source.ReadAsync(default))
        {
            batches.Add(b.Rows);
        }

        Assert.Equal(0, plan.EstimatedRows);
        Assert.Contains("streams: 0 (--max-streams 4)", plan.Details);
        Assert.Empty(batches);
        Assert.Empty(Fake.ReadRequests);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, "Connection reset by peer", false)]
    [InlineData(StatusCode.Internal, "Received RST_STREAM with error code 2", false)]
    [InlineData(StatusCode.Internal, "Received unexpected EOS on DATA frame from server", false)]
    [InlineData(StatusCode.Unavailable, "", true)]
    public async Task ReadRows_StreamBreaksAfter500Rows_ResumesFromOffset(StatusCode code, string detail, bool dropConnection)
    {
        Fake.RowsPerResponse = 300;
        Fake.BreakStream(new FakeStreamBreak(StreamIndex: 0, AtOffset: 500, code, detail, dropConnection));
        await using var source = Source(Options(maxStreams: 2));

        var batches = await ReadAllAsync(source);

        Assert.Equal(0, Fake.PendingBreaks);
        Assert.Equal(ExpectedRows(d => d == Days[0]), CanonicalRows(batches.Select(b => b.Rows)));
        AssertContiguousOffsets(batches);
        var stream0 = Fake.ReadRequests.Where(r => r.Request.ReadStream.EndsWith("/streams/0", StringComparison.Ordinal)).Select(r => r.Request.Offset).ToList();
        Assert.Equal(0, stream0[0]);
        Assert.Equal(2, stream0.Count);

        // A dropped connection may lose the response in flight; the resume offset is what the consumer got, never more.
        Assert.True(dropConnection ? stream0[1] is 300 or 500 : stream0[1] == 500, $"resumed at {stream0[1]}");
    }

    [Fact]
    public async Task ReadRows_ManyBreaksOnEveryStream_LosesAndDuplicatesNothing()
    {
        Fake.RowsPerResponse = 128;
        foreach (var stream in Enumerable.Range(0, 4))
        {
            foreach (var offset in new[] { 1, 200, 201, 333, 499 })
            {
                Fake.BreakStream(new FakeStreamBreak(stream, offset, StatusCode.Unavailable));
            }
        }

        await using var source = Source(Options(DateRange.All, maxStreams: 4));

        var batches = await ReadAllAsync(source);

        Assert.Equal(0, Fake.PendingBreaks);
        Assert.Equal(ExpectedRows(_ => true), CanonicalRows(batches.Select(b => b.Rows)));
        AssertContiguousOffsets(batches);
        Assert.Equal(4 + 20, Fake.ReadRequests.Count);
    }

    [Fact]
    public async Task ReadRows_BreakWithRetryInfo_WaitsAtLeastTheServersDelay()
    {
        Fake.BreakStream(new FakeStreamBreak(0, 700, StatusCode.Unavailable, "try later", RetryDelay: TimeSpan.FromSeconds(3)));
        await using var source = Source(Options(maxStreams: 1));

        var batches = await ReadAllAsync(source);

        var delay = Assert.Single(Clock.Delays);
        Assert.InRange(delay, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.6));
        Assert.Equal(AccountsPerDay, batches.Sum(b => b.Rows.Length));
    }

    [Fact]
    public async Task ReadRows_InternalErrorThatIsNotATransportBreak_FailsFastNamingStreamAndOffset()
    {
        Fake.RowsPerResponse = 250;
        Fake.BreakStream(new FakeStreamBreak(0, 500, StatusCode.Internal, "Backend error while reading the table"));
        await using var source = Source(Options(maxStreams: 1));

        var error = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(source));

        Assert.Contains("/streams/0 failed at offset 500", error.Message);
        Assert.Contains("Internal: Backend error while reading the table", error.Message);
        Assert.False(error.IsTransient);
        Assert.Single(Fake.ReadRequests);
    }

    [Fact]
    public async Task ReadRows_KeepsBreakingWithoutProgress_GivesUpAfterMaxResumeAttempts()
    {
        foreach (var _ in Enumerable.Range(0, 10))
        {
            Fake.BreakStream(new FakeStreamBreak(0, 1000, StatusCode.Unavailable, "backend restarting"));
        }

        await using var limited = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxStreams = 1, MaxResumeAttempts = 3, EmulatorHost = Server.Host });

        var error = await Assert.ThrowsAsync<SourceException>(() => ReadAllAsync(limited));

        Assert.True(error.IsTransient);
        Assert.Contains("broke 4 time(s) in a row without delivering a row at offset 1000", error.Message);
        Assert.Equal(new long[] { 0, 1000, 1000, 1000 }, Fake.ReadRequests.Select(r => r.Request.Offset));
        Assert.Equal(3, Clock.Delays.Count);
    }

    [Fact]
    public async Task CreateReadSession_ResourceExhaustedWithRetryInfo_RetriesAfterTheServersDelay()
    {
        Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.ResourceExhausted, "Quota exceeded: too many concurrent sessions", TimeSpan.FromSeconds(2)));
        Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.ResourceExhausted, "Quota exceeded: too many concurrent sessions", TimeSpan.FromSeconds(5)));
        await using var source = Source(Options());

        var plan = await source.OpenAsync(default);

        Assert.Equal(3, Fake.SessionRequests.Count);
        Assert.Equal(AccountsPerDay, plan.EstimatedRows);
        Assert.Collection(
            Clock.Delays,
            d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.4)),
            d => Assert.InRange(d, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public async Task CreateReadSession_Unauthenticated_FailsAtOnceWithTheSharedCredentialsHint()
    {
        Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.Unauthenticated, "token expired"));
        await using var source = Source(Options());

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(default).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("the credentials were rejected", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(SalesIntel.Stages.GoogleApis.GoogleFixHints.Credentials + ".", e.Message, StringComparison.Ordinal);
        Assert.Single(Fake.SessionRequests);
    }

    [Fact]
    public async Task CreateReadSession_UnavailableWithoutRetryInfo_BacksOffExponentiallyWithJitter()
    {
        foreach (var _ in Enumerable.Range(0, 3))
        {
            Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.Unavailable, "The service is currently unavailable."));
        }

        await using var source = Source(Options());
        await source.OpenAsync(default);

        Assert.Equal(4, Fake.SessionRequests.Count);
        Assert.Collection(
            Clock.Delays,
            d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)),
            d => Assert.InRange(d, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)),
            d => Assert.InRange(d, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)));
    }

    [Fact]
    public async Task CreateReadSession_KeepsFailing_GivesUpAfterMaxAttemptsWithATransientError()
    {
        foreach (var _ in Enumerable.Range(0, 10))
        {
            Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.ResourceExhausted, "Quota exceeded", TimeSpan.FromSeconds(1)));
        }

        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxSessionAttempts = 3, EmulatorHost = Server.Host });

        var error = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(default).AsTask());

        Assert.True(error.IsTransient);
        Assert.Equal(3, Fake.SessionRequests.Count);
        Assert.Contains($"{TableUri}: CreateReadSession still failing after 3 attempt(s) (ResourceExhausted: Quota exceeded; retry after 1 s)", error.Message);
    }

    [Fact]
    public async Task OpenAsync_TableNotFound_FailsFastNamingTheTable()
    {
        await using var missing = Source(new BigQuerySourceOptions { Table = "bq://acme-sales.crm.account_signalz", Dates = DateRange.Single(Days[0]), EmulatorHost = Server.Host });

        var error = await Assert.ThrowsAsync<SourceException>(() => missing.OpenAsync(default).AsTask());

        Assert.Single(Fake.SessionRequests);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("bq://acme-sales.crm.account_signalz: BigQuery table projects/acme-sales/datasets/crm/tables/account_signalz was not found", error.Message);
        Assert.Contains("check the project, dataset and table in --source", error.Message);
    }

    [Fact]
    public async Task OpenAsync_PermissionDenied_NamesTheRolesNeeded()
    {
        Fake.DeniedTables[TableName] = true;
        await using var source = Source(Options());

        var error = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(default).AsTask());

        Assert.Single(Fake.SessionRequests);
        Assert.Contains("permission denied", error.Message);
        Assert.Contains("BigQuery Read Session User (roles/bigquery.readSessionUser) on project 'acme-sales'", error.Message);
        Assert.Contains("BigQuery Data Viewer (roles/bigquery.dataViewer)", error.Message);
    }

    [Fact]
    public async Task OpenAsync_TableWithoutARequestedColumn_FailsFastWithInvalidArgument()
    {
        var withoutNotes = new Schema.Builder();
        foreach (var f in AccountSignalsBatches.Schema.FieldsList.Where(f => f.Name != "notes"))
        {
            withoutNotes.Field(f);
        }

        var schema = withoutNotes.Build();
        var batch = Accounts[0];
        Fake.AddTable(TableName, schema, [new RecordBatch(schema, batch.Schema.FieldsList.Where(f => f.Name != "notes").Select(f => batch.Column(f.Name)), batch.Length)]);
        await using var source = Source(Options());

        var error = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(default).AsTask());

        Assert.Single(Fake.SessionRequests);
        Assert.Contains("BigQuery rejected the read session (InvalidArgument:", error.Message);
        Assert.Contains("\"notes\"", error.Message);
        Assert.Contains("filter: snapshot_date = DATE '2024-05-01'", error.Message);
    }

    [Fact]
    public async Task OpenAsync_ColumnOfTheWrongType_FailsBeforeReadingARow()
    {
        var fields = AccountSignalsBatches.Schema.FieldsList.Select(f => f.Name == "employee_count" ? new Field(f.Name, Apache.Arrow.Types.StringType.Default, true) : f).ToList();
        var schema = new Schema(fields, null);
        var batch = Accounts[0];
        var employees = new StringArray.Builder().AppendRange(Enumerable.Range(0, batch.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Build();
        Fake.AddTable(TableName, schema, [new RecordBatch(schema, fields.Select(f => f.Name == "employee_count" ? employees : batch.Column(f.Name)), batch.Length)]);
        await using var source = Source(Options());

        var error = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(default).AsTask());

        Assert.Contains("column 'employee_count' is STRING, expected INT64", error.Message);
        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task OpenAsync_EstimatedRowsOverMaxRows_TripsTheGuardWithNumbersAndReadsNothing()
    {
        await using var guarded = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Between(Days[0], Days[2]), MaxRows = 5000, EmulatorHost = Server.Host });

        var error = await Assert.ThrowsAsync<GuardTrippedException>(() => guarded.OpenAsync(default).AsTask());

        Assert.Equal(
            $"{TableUri}: the read session estimates 6,000 rows over --max-rows 5,000 for snapshot_date 2024-05-01..2024-05-03 (3 partition(s)), in 4 stream(s); nothing was read. Narrow the dates (--date, --from/--to) or raise the guard with --max-rows 6000.",
            error.Message);
        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task OpenAsync_EstimatedBytesOverMaxBytes_TripsTheGuardWithNumbers()
    {
        Fake.EstimatedBytesOverride = 5_250_000_000;
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxBytes = 1_000_000_000, MaxRows = 1_000_000, EmulatorHost = Server.Host });

        var error = await Assert.ThrowsAsync<GuardTrippedException>(() => source.OpenAsync(default).AsTask());

        Assert.Contains("estimates 5.25 GB (5,250,000,000 bytes) scanned over --max-bytes 1,000,000,000 (1 GB) for snapshot_date 2024-05-01 (1 partition(s))", error.Message);
        Assert.EndsWith("raise the guard with --max-bytes 5250000000.", error.Message);
        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task OpenAsync_GuardsReportOnly_PutTheTrippedGuardInThePlanInsteadOfThrowing()
    {
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxRows = 1000, ReportGuardsOnly = true, EmulatorHost = Server.Host });

        var plan = await source.OpenAsync(default);

        Assert.Contains(plan.Details, d => d.StartsWith("guards: WOULD STOP THE RUN: bq://acme-sales.crm.account_signals: the read session estimates 2,000 rows over --max-rows 1,000", StringComparison.Ordinal));
        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task OpenAsync_LimitUnderTheRowGuard_DoesNotTripIt()
    {
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxRows = 1000, Limit = 500, EmulatorHost = Server.Host });

        var plan = await source.OpenAsync(default);

        Assert.Contains("limit: 500 rows", plan.Details);
        Assert.Contains("guards: within --max-rows 1,000", plan.Details);
    }

    [Fact]
    public async Task ReadAsync_Limit_StopsAfterExactlyNRowsAndCancelsTheOpenStreams()
    {
        Fake.RowsPerResponse = 100;
        Fake.HoldAtOffset = 400;
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), MaxStreams = 4, Limit = 1234, EmulatorHost = Server.Host });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var batches = await ReadAllAsync(source, timeout.Token);

        Assert.Equal(1234, batches.Sum(b => b.Rows.Length));
        Assert.Equal(1234, CanonicalRows(batches.Select(b => b.Rows)).Distinct().Count());
        AssertContiguousOffsets(batches);
    }

    [Fact]
    public async Task OpenAsync_CancelledBeforeStart_ThrowsWithoutCallingBigQuery()
    {
        await using var source = Source(Options());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.OpenAsync(new CancellationToken(true)).AsTask());

        Assert.Empty(Fake.SessionRequests);
    }

    [Fact]
    public async Task OpenAsync_CancelledDuringRetryDelay_ThrowsOperationCanceled()
    {
        Fake.SessionFaults.Enqueue(FakeBigQueryRead.Fault(StatusCode.Unavailable, "later", TimeSpan.FromHours(1)));
        await using var source = new BigQuerySource(Options(), new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var cts = new CancellationTokenSource();

        var open = source.OpenAsync(cts.Token).AsTask();
        await Fake.WhenAsync(f => f.SessionRequests.Count == 1, Timeout());
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open);
        Assert.Single(Fake.SessionRequests);
    }

    [Fact]
    public async Task ReadAsync_CancelledBeforeStart_ThrowsWithoutReadingStreams()
    {
        await using var source = Source(Options());
        await source.OpenAsync(default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(new CancellationToken(true)))
            {
            }
        });

        Assert.Empty(Fake.ReadRequests);
    }

    [Fact]
    public async Task ReadAsync_CancelledDuringRead_StopsAndClosesTheStreams()
    {
        Fake.RowsPerResponse = 100;
        Fake.HoldAtOffset = 200;
        await using var source = Source(Options(maxStreams: 2));
        await source.OpenAsync(default);
        using var cts = new CancellationTokenSource();
        var rows = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cts.Token))
            {
                rows += batch.Rows.Length;
                await cts.CancelAsync();
            }
        });

        Assert.Equal(100, rows);
        await Fake.WhenAsync(f => f.CancelledReads == 2, Timeout());
    }

    [Fact]
    public async Task ReadAsync_CancelledAfterTheLastRow_ChangesNothing()
    {
        await using var source = Source(Options());
        using var cts = new CancellationTokenSource();

        var batches = await ReadAllAsync(source, cts.Token);
        await cts.CancelAsync();

        Assert.Equal(AccountsPerDay, batches.Sum(b => b.Rows.Length));
        Assert.Equal(0, Fake.CancelledReads);
        Assert.Equal(4, Fake.ReadRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrottledStreams_StillDeliverEveryRow()
    {
        Fake.ThrottlePercent = 80;
        await using var source = Source(Options());

        var batches = await ReadAllAsync(source);

        Assert.Equal(AccountsPerDay, batches.Sum(b => b.Rows.Length));
    }

    [Fact]
    public async Task ReadAsync_EveryBigQueryType_ArrivesInBigQueryArrowTypesWithTheSameCanonicalJson()
    {
        const string EveryType = "projects/acme-sales/datasets/crm/tables/every_type";
        var original = EveryTypeBatch.Create();
        Fake.AddTable(EveryType, EveryTypeBatch.Schema, [original]);
        Fake.RowsPerResponse = 2;
        await using var source = Source(new BigQuerySourceOptions
        {
            Table = "bq://acme-sales.crm.every_type",
            Dates = DateRange.All,
            Columns = [],
            MaxStreams = 2,
            Compression = BigQueryCompression.Zstd,
            EmulatorHost = Server.Host,
        });

        var plan = await source.OpenAsync(default);
        var batches = new List<RecordBatch>();
        await foreach (var b in source.ReadAsync(default))
        {
            batches.Add(b.Rows);
        }

        Assert.Equal(EveryTypeBatch.Table.Fields.Select(f => f.TypeName), plan.Schema.Fields.Select(f => f.TypeName));
        Assert.Equal(ArrowTypes.Describe(EveryTypeBatch.Schema), ArrowTypes.Describe(batches[0].Schema));
        Assert.Equal(CanonicalRows([original]), CanonicalRows(batches));
        Assert.Equal(original.Length, batches.Sum(b => b.Length));
    }

    /// <summary>A bound that only keeps a broken test from hanging; nothing waits for it in a passing run.</summary>
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}

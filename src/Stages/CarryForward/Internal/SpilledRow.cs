using System.Text;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.CarryForward.Internal;

/// <summary>
/// The spill-file form of an earlier recommendation: the fields a carried row repeats, in a fixed order with
/// BinaryWriter's length-prefixed UTF-8 strings. Run-scoped and private to this process, so no versioning.
/// </summary>
internal static class SpilledRow
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static Recommendation Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Utf8);
        var accountId = reader.ReadString();
        var scoreDate = DateOnly.FromDayNumber(reader.ReadInt32());
        var score = reader.ReadInt32();
        var tier = reader.ReadString();
        var rationale = reader.ReadString();
        var actions = new string[reader.ReadInt32()];
        for (var i = 0; i < actions.Length; i++)
        {
            actions[i] = reader.ReadString();
        }

        var confidence = reader.ReadDouble();
        var scorer = reader.ReadString();
        var model = reader.ReadBoolean() ? reader.ReadString() : null;
        var promptVersion = reader.ReadString();
        var inputHash = reader.ReadString();
        var scoredAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var materialHash = reader.ReadString();
        var carried = reader.ReadInt32();
        return new Recommendation
        {
            AccountId = accountId,
            ScoreDate = scoreDate,
            Score = score,
            Tier = tier,
            Rationale = rationale,
            RecommendedActions = actions,
            Confidence = confidence,
            Scorer = scorer,
            Model = model,
            PromptVersion = promptVersion,
            InputHash = inputHash,
            RunId = "",
            ScoredAt = scoredAt,
            MaterialHash = materialHash,
            CarriedFrom = carried == int.MinValue ? null : DateOnly.FromDayNumber(carried),
        };
    }

    /// <summary>Encodes rows into one reused buffer (not thread-safe).</summary>
    public sealed class Writer
    {
        private readonly MemoryStream _buffer = new(512);
        private readonly BinaryWriter _writer;

        public Writer() => _writer = new BinaryWriter(_buffer, Utf8, leaveOpen: true);

        /// <summary>The encoded row, valid until the next call.</summary>
        public ReadOnlySpan<byte> Encode(Recommendation r)
        {
            _buffer.SetLength(0);
            var w = _writer;
            w.Write(r.AccountId);
            w.Write(r.ScoreDate.DayNumber);
            w.Write(r.Score);
            w.Write(r.Tier);
            w.Write(r.Rationale);
            w.Write(r.RecommendedActions.Count);
            foreach (var a in r.RecommendedActions)
            {
                w.Write(a);
            }

            w.Write(r.Confidence);
            w.Write(r.Scorer);
            w.Write(r.Model is not null);
            if (r.Model is not null)
            {
                w.Write(r.Model);
            }

            w.Write(r.PromptVersion);
            w.Write(r.InputHash);
            w.Write(r.ScoredAt.UtcTicks);
            w.Write(r.MaterialHash ?? "");
            w.Write(r.CarriedFrom?.DayNumber ?? int.MinValue);
            w.Flush();
            return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
        }
    }
}

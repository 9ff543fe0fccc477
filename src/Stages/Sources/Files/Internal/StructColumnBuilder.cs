using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;
using Apache.Arrow.Types;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>STRUCT columns: a JSON object (in CSV, a cell holding one) whose keys are the child fields, Arrow struct.</summary>
internal sealed class StructColumnBuilder : ColumnBuilder
{
    private readonly ValidityBits _validity;
    private readonly IArrowType _type;
    private readonly PropertyLookup _names;
    private readonly int[] _seen;
    private int _generation;

    public StructColumnBuilder(BqField field, int capacity)
        : base(field)
    {
        Children = field.Children.Select(c => Create(c, capacity)).ToArray();
        _validity = new ValidityBits(capacity);
        _type = BigQueryArrowTypes.ToArrowField(field with { Repeated = false }).DataType;
        _names = new PropertyLookup(field.Children.Select(c => c.Name).ToArray());
        _seen = new int[Children.Length];
    }

    public ColumnBuilder[] Children { get; }

    public override int Length => _validity.Length;

    /// <summary>Closes a non-null struct whose children were each appended one value.</summary>
    public void EndStruct() => _validity.Append(true);

    public override void AppendNull()
    {
        foreach (var child in Children)
        {
            child.AppendNull();
        }

        _validity.Append(false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendText(ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? problem) => TryAppendJsonText(text, out problem);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]

    public override bool TryAppendJson(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            AppendNull();
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = WrongJsonType(ref reader);
            return false;
        }

        var generation = ++_generation;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = _names.Find(ref reader);
            if (index < 0)
            {
                problem = $"has no field '{reader.GetString()}'; {Field.TypeName} has {string.Join(", ", Field.Children.Select(c => c.Name))}";
                return false;
            }

            if (_seen[index] == generation)
            {
                problem = $"field '{Field.Children[index].Name}' appears twice";
                return false;
            }

            _seen[index] = generation;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null && Field.Children[index].Required)
            {
                problem = $"field '{Field.Children[index].Name}' is REQUIRED but null";
                return false;
            }

            if (!Children[index].TryAppendJson(ref reader, json, out var childProblem))
            {
                problem = $"field '{Field.Children[index].Name}': {childProblem}";
                return false;
            }
        }

        for (var i = 0; i < Children.Length; i++)
        {
            if (_seen[i] != generation)
            {
                if (Field.Children[i].Required)
                {
                    problem = $"REQUIRED field '{Field.Children[i].Name}' is missing";
                    return false;
                }

                Children[i].AppendNull();
            }
        }

        _validity.Append(true);
        return true;
    }

    public override void Truncate(int length)
    {
        foreach (var child in Children)
        {
            child.Truncate(length);
        }

        _validity.Truncate(length);
    }

    public override ArrayData Build(ArrowBufferFactory buffers)
    {
        var length = Length;
        var nulls = _validity.NullCount;
        var validity = _validity.Build(buffers);
        var children = Children.Select(c => c.Build(buffers)).ToArray();
        return new ArrayData(_type, length, nulls, 0, [validity], children);
    }
}

/// <summary>Finds a JSON property among known names without allocating (exact match first, then ignoring case).</summary>
internal sealed class PropertyLookup(string[] names)
{
    private readonly byte[][] _utf8 = names.Select(n => Encoding.UTF8.GetBytes(n)).ToArray();
    private int _next;

    public int Count => names.Length;

    /// <summary>The index of the property the reader is on, or -1.</summary>
    public int Find(ref Utf8JsonReader reader)
    {
        // Rows usually list their keys in the same order, so the one after the last match is tried first.
        if (_next < _utf8.Length && reader.ValueTextEquals(_utf8[_next]))
        {
            return _next++;
        }

        for (var i = 0; i < _utf8.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8[i]))
            {
                _next = i + 1;
                return i;
            }
        }

        var name = reader.GetString();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                _next = i + 1;
                return i;
            }
        }

        return -1;
    }
}

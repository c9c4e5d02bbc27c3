using Fp4Sim.Cli.Commands;
using Fp4Sim.Numerics.Codec;
using Fp4Sim.Numerics.Exact;
using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli.Tests;

public class FormatsCommandTests
{
    private static string[][] PlainRows() =>
        CliRunner.Run("formats").Lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

    [Fact]
    public void Plain_table_has_a_header_and_one_line_per_named_format()
    {
        CliResult r = CliRunner.Run("formats");
        Assert.Equal(0, r.ExitCode);
        string[][] rows = r.Lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(["name", "bits", "E", "M", "bias", "specials", "subnormals", "max", "min_normal", "min_subnormal", "aliases"], rows[0]);
        // The catalogue, then the generic integers that an alias names (torch.int16 → int16, ONNX UINT8 → uint8, …).
        Assert.Equal(KnownFormats.All.Select(f => f.Name), rows.Skip(1).Take(KnownFormats.All.Count).Select(row => row[0]));
        Assert.Equal(FormatAliases.GenericTargets.Select(f => f.Name), rows.Skip(1 + KnownFormats.All.Count).Select(row => row[0]));
        Assert.All(rows, row => Assert.Equal(11, row.Length));
    }

    [Fact]
    public void Rows_carry_the_format_parameters()
    {
        Dictionary<string, string[]> rows = PlainRows().Skip(1).ToDictionary(row => row[0]);
        Assert.Equal(["e4m3", "8", "4", "3", "7", "fn", "yes", "448", "0.015625", "0.001953125",
                      "e4m3fn,float8_e4m3fn,torch.float8_e4m3fn,float8e4m3fn"], rows["e4m3"]);
        Assert.Equal(["e2m1", "4", "2", "1", "1", "none", "yes", "6", "1", "0.5", "float4_e2m1fn,float4e2m1"], rows["e2m1"]);
        Assert.Equal(["uint4", "4", "0", "4", "0", "uint", "no", "15", "1", "1", "torch.uint4"], rows["uint4"]);
        Assert.Equal(["e4m3b11fnuz", "8", "4", "3", "11", "fnuz", "yes", "30", "0.0009765625", "0.0001220703125", "float8_e4m3b11fnuz"],
            rows["e4m3b11fnuz"]);
        Assert.Equal(["int16", "16", "0", "15", "0", "int", "no", "32767", "1", "1", "torch.int16,torch.short"], rows["int16"]);
        Assert.Equal("57344", rows["e5m2"][7]);
        Assert.Equal("ieee", rows["fp16"][5]);
        Assert.Equal("int", rows["int8"][5]);
        Assert.Equal("no", rows["e8m0"][6]);
        Assert.Equal("no", rows["e3m0"][6]); // M = 0: no subnormal codes
        Assert.Equal("-", rows["e3m0"][10]);  // no alias
    }

    /// <summary>Limits are exact decimals, never exponent notation, and read back exactly as the format's values.</summary>
    [Fact]
    public void Limits_are_exact_decimals()
    {
        Dictionary<string, string[]> rows = PlainRows().Skip(1).ToDictionary(row => row[0]);
        Assert.Equal("0.000000059604644775390625", rows["fp16"][9]);
        Assert.Equal("0.0000152587890625", rows["e5m2"][9]);
        Assert.Equal("340282346638528859811704183484516925440", rows["fp32"][7]);
        Assert.Equal("170141183460469231731687303715884105728", rows["e8m0"][7]); // 2^127
        foreach (FormatInfo f in FormatsCommand.Listed)
        {
            string[] row = rows[f.Name];
            double[] expected = [CodeSpace.MaxFinite(f), CodeSpace.MinNormal(f), CodeSpace.MinSubnormal(f)];
            for (int c = 7; c <= 9; c++)
            {
                Assert.DoesNotContain('E', row[c]);
                Assert.True(ExactDecimal.TryParse(row[c], out ExactValue v, out bool exact) && exact, $"{f.Name}: {row[c]}");
                Assert.Equal(ExactValue.FromDouble(expected[c - 7]), v);
            }
        }
    }

    /// <summary>Every alias is listed once, on the row of the format it names, and parses to that row's format.</summary>
    [Fact]
    public void Every_alias_is_listed_on_its_formats_row()
    {
        string[][] rows = PlainRows().Skip(1).ToArray();
        (string Alias, string Format)[] listed =
            [.. rows.Where(row => row[10] != "-").SelectMany(row => row[10].Split(',').Select(alias => (alias, row[0])))];
        Assert.Equal(FormatAliases.All.Select(a => (a.Name, a.Format.Name)).Order(), listed.Order());
        Assert.All(listed, l => Assert.Equal(FormatSpec.Parse(l.Format), FormatSpec.Parse(l.Alias)));
    }

    [Fact]
    public void Rich_table_renders_for_a_terminal()
    {
        var stdout = new StringWriter();
        int code = Fp4Sim.Cli.CommandLine.Run(["formats"], new StringReader(""), stdout, new StringWriter(), stdoutIsTerminal: true);
        Assert.Equal(0, code);
        Assert.All(FormatsCommand.Listed, f => Assert.Contains(f.Name, stdout.ToString()));
    }
}

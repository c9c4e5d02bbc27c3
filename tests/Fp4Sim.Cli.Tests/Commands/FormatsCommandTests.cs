using Fp4Sim.Numerics.Formats;

namespace Fp4Sim.Cli.Tests;

public class FormatsCommandTests
{
    [Fact]
    public void Plain_table_has_a_header_and_one_line_per_catalogued_format()
    {
        CliResult r = CliRunner.Run("formats");
        Assert.Equal(0, r.ExitCode);
        string[][] rows = r.Lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(["name", "bits", "E", "M", "bias", "specials", "subnormals", "max", "min_normal", "min_subnormal"], rows[0]);
        Assert.Equal(KnownFormats.All.Select(f => f.Name), rows.Skip(1).Select(row => row[0]));
        Assert.All(rows, row => Assert.Equal(10, row.Length));
    }

    [Fact]
    public void Rows_carry_the_format_parameters()
    {
        Dictionary<string, string[]> rows = CliRunner.Run("formats").Lines.Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(row => row[0]);
        Assert.Equal(["e4m3", "8", "4", "3", "7", "fn", "yes", "448", "0.015625", "0.001953125"], rows["e4m3"]);
        Assert.Equal(["e2m1", "4", "2", "1", "1", "none", "yes", "6", "1", "0.5"], rows["e2m1"]);
        Assert.Equal("57344", rows["e5m2"][7]);
        Assert.Equal("ieee", rows["fp16"][5]);
        Assert.Equal("int", rows["int8"][5]);
        Assert.Equal("no", rows["e8m0"][6]);
        Assert.Equal("no", rows["e3m0"][6]); // M = 0: no subnormal codes
    }

    [Fact]
    public void Rich_table_renders_for_a_terminal()
    {
        var stdout = new StringWriter();
        int code = Fp4Sim.Cli.CommandLine.Run(["formats"], new StringReader(""), stdout, new StringWriter(), stdoutIsTerminal: true);
        Assert.Equal(0, code);
        Assert.All(KnownFormats.All, f => Assert.Contains(f.Name, stdout.ToString()));
    }
}

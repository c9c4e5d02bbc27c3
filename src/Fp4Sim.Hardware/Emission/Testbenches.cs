namespace Fp4Sim.Hardware;

/// <summary>
/// Renders the self-checking testbenches. Both kinds are driven by the vector layout alone: every <c>in</c> field
/// becomes a register driven from its slice of the vector, every <c>out</c> field a wire compared with its slice.
/// <c>tb_comb.v.sbn</c> (combinational units) applies a vector and waits 1 ns; <c>tb_mac.v.sbn</c> (registered
/// units) resets, clocks each vector in and also checks out_valid against in_valid. Neither depends on the vector
/// count: both stream the file line by line and check its count line (<see cref="VectorLayout.CountLine"/>) at the end,
/// so <c>rtl generate</c> and <c>rtl vectors</c> write the same testbench.
/// </summary>
internal static class Testbenches
{
    /// <summary>How many mismatches a testbench prints before it only counts them.</summary>
    public const int MismatchesShown = 10;

    /// <summary>The testbench of a combinational unit, for any number of vectors of <paramref name="vectors"/>.</summary>
    public static string Combinational(IRtlUnit unit, VectorLayout vectors) => Render("tb_comb.v.sbn", unit, vectors);

    /// <summary>The testbench of a registered unit (ports clk, rst and out_valid besides the vector's fields).</summary>
    public static string Registered(IRtlUnit unit, VectorLayout vectors) => Render("tb_mac.v.sbn", unit, vectors);

    private static string Render(string template, IRtlUnit unit, VectorLayout vectors)
    {
        VectorField[] inputs = vectors.Fields.Where(f => f.Direction == "in").ToArray();
        VectorField[] outputs = vectors.Fields.Where(f => f.Direction == "out").ToArray();
        string Names(IEnumerable<VectorField> fs) => string.Join(", ", fs.Select(f => f.Name));
        string Formats(IEnumerable<VectorField> fs) => string.Join(" ", fs.Select(f => $"{f.Name}=%h"));
        string Slice(VectorField f) => $"v[{f.Msb}:{f.Lsb}]";
        var model = new Dictionary<string, object>
        {
            ["header"] = Generator.Header,
            ["module"] = unit.ModuleName,
            ["vw_msb"] = vectors.Width - 1,
            ["shown"] = MismatchesShown,
            ["inputs"] = inputs.Select(f => new { name = f.Name, msb = f.Width - 1, slice = Slice(f) }).ToArray(),
            ["outputs"] = outputs.Select(f => new { name = f.Name, msb = f.Width - 1 }).ToArray(),
            ["connections"] = string.Join(", ", inputs.Concat(outputs).Select(f => $".{f.Name}({f.Name})")),
            ["input_names"] = Names(inputs),
            ["output_names"] = Names(outputs),
            ["got"] = Names(outputs),
            ["expected"] = string.Join(", ", outputs.Select(Slice)),
            ["got_format"] = Formats(outputs),
            ["in_format"] = Formats(inputs),
            ["in_args"] = Names(inputs),
        };
        foreach (VectorField f in vectors.Fields) model[$"v_{f.Name}"] = Slice(f);
        return RtlTemplates.Render(template, model);
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.PostgreSql.Billing
{
    /// <inheritdoc />
    public partial class CreditSourceReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceReference",
                schema: "billing",
                table: "credits",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_credits_SourceReference",
                schema: "billing",
                table: "credits",
                column: "SourceReference",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_credits_SourceReference",
                schema: "billing",
                table: "credits");

            migrationBuilder.DropColumn(
                name: "SourceReference",
                schema: "billing",
                table: "credits");
        }
    }
}

/**
 * One step on the canvas: icon, type title, id, the first line of its text, a problem badge
 * and one labelled handle per outlet. All texts are rendered as text (React escapes them).
 */
import { Handle, type NodeProps, Position, type ReactFlowState, useStore } from "@xyflow/react";
import { memo } from "react";
import { t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import type { CanvasNodeData } from "../model/document-to-canvas.ts";
import { nodePresentations } from "../nodes/node-presentations.ts";

export interface BoxData extends CanvasNodeData {
  lang: UiLanguage;
  errors: number;
  warnings: number;
  highlighted: boolean;
  /** With "Show numbers": how many reached the step and how many stopped there (FlowCanvas's funnel). */
  funnel?: string | undefined;
}

const outletKindLabels: Record<string, Record<UiLanguage, string>> = {
  next: { de: "weiter", en: "next" },
  accept: { de: "Zustimmung", en: "accept" },
  decline: { de: "Ablehnung", en: "decline" },
  invalid: { de: "ungültig", en: "invalid" },
  error: { de: "Fehler", en: "error" },
  else: { de: "sonst", en: "else" },
  "no-agent": { de: "niemand da", en: "no agent" },
  unclaimed: { de: "nicht übernommen", en: "unclaimed" },
};

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * Zoomed far out (a whole flow fitted to the screen), a box shows its kind and first words in a
 * type size that stays readable; the size steps in a few buckets so zooming re-renders rarely.
 */
function farFontSize(state: ReactFlowState): number {
  const zoom = state.transform[2];
  if (zoom >= 0.7) return 0;
  return Math.min(40, Math.round(10 / zoom / 2) * 2);
}

function FlowNodeBoxView({ id, data, selected }: NodeProps & { data: BoxData }) {
  const far = useStore(farFontSize);
  const presentation = data.nodeType === "unknown" ? undefined : nodePresentations[data.nodeType];
  const classes = ["flow-node", selected ? "selected" : "", data.highlighted ? "highlighted" : "", data.errors > 0 ? "has-errors" : ""].join(" ");
  return (
    <div className={classes} style={{ borderTopColor: presentation?.color ?? "#999" }} data-node-id={id} data-testid={`node-${id}`}>
      <Handle type="target" position={Position.Top} className="target-handle" />
      <div className="flow-node-head">
        <span className="flow-node-icon" aria-hidden="true">
          {presentation?.icon ?? "?"}
        </span>
        <span className="flow-node-type">{presentation ? presentation.title[data.lang] : t(data.lang, "unknownType")}</span>
        {data.isStart && <span className="flow-node-start">▶ Start</span>}
        {data.errors + data.warnings > 0 && (
          <span className={data.errors > 0 ? "badge badge-error" : "badge badge-warning"} title={`${data.errors} / ${data.warnings}`}>
            {data.errors > 0 ? data.errors : data.warnings}
          </span>
        )}
      </div>
      {far > 0 && (
        <div className="flow-node-far" style={{ fontSize: far }} aria-hidden="true">
          <span className="flow-node-far-type">{presentation?.icon ?? "?"}</span> {data.firstLine || (presentation ? presentation.title[data.lang] : "")}
        </div>
      )}
      {/* The step's id and first line are the flow's own, in the flow's language (translate="no"). */}
      <div className="flow-node-id" translate="no">
        {clip(id, 40)}
      </div>
      <div className="flow-node-text" translate="no">{data.firstLine ? clip(data.firstLine, 80) : t(data.lang, "emptyText")}</div>
      {data.funnel && (
        <div className="flow-node-funnel" data-testid={`funnel-${id}`}>
          {data.funnel}
        </div>
      )}
      {data.outlets.length > 0 && (
        <div className="flow-node-outlets">
          {data.outlets.map((outlet) => (
            <div key={outlet.pointer} className={`outlet outlet-${outlet.kind}`}>
              <span className="outlet-label">{clip(outlet.label ?? outletKindLabels[outlet.kind]?.[data.lang] ?? outlet.kind, 24)}</span>
              <Handle type="source" position={Position.Bottom} id={outlet.pointer} className="source-handle" data-testid={`handle-${id}${outlet.pointer}`} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const FlowNodeBox = memo(FlowNodeBoxView);

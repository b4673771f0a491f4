/**
 * The canvas: a React Flow view of the document. Dragging is view state until the drop, which
 * folds the new positions into `layout`; connecting, reconnecting and deleting become document
 * edits. `nodeTypes` lives at module scope, node data holds no functions.
 */
import {
  type AriaLabelConfig,
  applyNodeChanges,
  Background,
  BaseEdge,
  type EdgeProps,
  getBezierPath,
  MarkerType,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type Node,
  type NodeChange,
  type OnConnect,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { NodeType } from "../../../runtime/core/index.ts";
import { type MessageKey, t } from "../i18n/messages.ts";
import type { UiLanguage } from "../i18n/ui-language.ts";
import type { EdgeRoute, MeasuredBox } from "../model/auto-layout.ts";
import type { Canvas } from "../model/document-to-canvas.ts";
import { addNode, connect, deleteNode, disconnect, moveNode, type Position } from "../model/edit-operations.ts";
import type { FlowDocument } from "../model/flow-document.ts";
import { nodePresentations, nodeTypes as allNodeTypes } from "../nodes/node-presentations.ts";
import { type BoxData, FlowNodeBox } from "./FlowNodeBox.tsx";

const nodeTypes = { flow: FlowNodeBox };

interface RoutedData {
  [key: string]: unknown;
  kind: string;
  route?: EdgeRoute;
}

function near(point: Position, x: number, y: number): boolean {
  return Math.abs(point.x - x) <= 6 && Math.abs(point.y - y) <= 6;
}

/**
 * An edge along the route the auto-layout found around the boxes, while both ends are where the
 * layout put them; a plain curve otherwise (after a box was moved by hand).
 */
function RoutedEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, interactionWidth, data, label }: EdgeProps<Edge<RoutedData>>) {
  const route = data?.route;
  let path: string;
  let labelX = (sourceX + targetX) / 2;
  let labelY = (sourceY + targetY) / 2;
  if (route && near(route.from, sourceX, sourceY) && near(route.to, targetX, targetY)) {
    const points = [{ x: sourceX, y: sourceY }, ...route.bends, { x: targetX, y: targetY }];
    path = points.map((point, index) => `${index === 0 ? "M" : "L"} ${point.x} ${point.y}`).join(" ");
    const middle = points[Math.floor(points.length / 2)] ?? { x: labelX, y: labelY };
    labelX = middle.x;
    labelY = middle.y;
  } else [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  // A label only with "Show numbers": how many took this way.
  return <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={interactionWidth ?? 20} {...(label === undefined ? {} : { label, labelX, labelY, labelShowBg: true, labelStyle: { fontSize: 12, fontWeight: 600 } })} />;
}

const edgeTypes = { routed: RoutedEdge };

const markerColours: Record<string, string> = { accept: "#059669", decline: "#dc2626" };

/** The boxes on screen, measured in flow units: size and handle places, for the auto-layout. */
export function measureBoxes(root: ParentNode = document): Map<string, MeasuredBox> {
  const boxes = new Map<string, MeasuredBox>();
  for (const element of Array.from(root.querySelectorAll<HTMLElement>(".react-flow__node"))) {
    const id = element.dataset.id;
    if (!id || element.offsetWidth === 0) continue;
    const rect = element.getBoundingClientRect();
    const zoom = rect.width / element.offsetWidth;
    const at = (handle: Element, bottom: boolean): Position => {
      const box = handle.getBoundingClientRect();
      return { x: Math.round((box.x + box.width / 2 - rect.x) / zoom), y: Math.round(((bottom ? box.bottom : box.y) - rect.y) / zoom) };
    };
    const input = element.querySelector(".target-handle");
    const outlets = new Map<string, Position>();
    for (const handle of Array.from(element.querySelectorAll<HTMLElement>(".source-handle"))) {
      const pointer = handle.dataset.handleid;
      if (pointer) outlets.set(pointer, at(handle, true));
    }
    boxes.set(id, { width: element.offsetWidth, height: element.offsetHeight, input: input ? at(input, false) : { x: element.offsetWidth / 2, y: 0 }, outlets });
  }
  return boxes;
}
const dragType = "application/x-botschaft-node";

export interface Highlight {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

export interface FlowCanvasProps {
  canvas: Canvas;
  autoPositions: ReadonlyMap<string, Position>;
  counts: ReadonlyMap<string, { errors: number; warnings: number }>;
  highlight: Highlight | undefined;
  lang: UiLanguage;
  onEdit(edit: (doc: FlowDocument) => void): void;
  onSelect(ids: string[]): void;
  focus: { id: string; serial: number } | undefined;
  /** The node the side panel shows; selected on the canvas too when chosen elsewhere (a problem, a fix). */
  selectedId: string | undefined;
  /** Edge routes of the last auto-layout. */
  routes: ReadonlyMap<string, EdgeRoute>;
  /** "Show numbers": the published version's counts, drawn as edge thickness and drop-off per step. */
  funnel?: Funnel | undefined;
}

/** Counts of the published version (docs/analytics.md): steps entered and ways taken, small ones as "<5". */
export interface Funnel {
  steps: ReadonlyMap<string, number | "<5">;
  /** By `from>to`. */
  branches: ReadonlyMap<string, number | "<5">;
}

const funnelWords = {
  de: { reached: (count: string) => `${count} erreicht`, stop: (share: number) => `${share} % hören hier auf` },
  en: { reached: (count: string) => `${count} reached`, stop: (share: number) => `${share} % stop here` },
} as const;

/** "12 erreicht · 25 % hören hier auf": who reached a step, and the share that took no way on from it. */
export function funnelText(funnel: Funnel, id: string, hasWayOn: boolean, lang: UiLanguage): string {
  const entered = funnel.steps.get(id) ?? 0;
  const words = funnelWords[lang];
  if (typeof entered !== "number") return words.reached("<5");
  if (!hasWayOn || entered === 0) return words.reached(String(entered));
  let onward = 0;
  for (const [key, count] of funnel.branches) if (key.startsWith(`${id}>`) && typeof count === "number") onward += count;
  const share = Math.max(0, Math.round(((entered - Math.min(onward, entered)) / entered) * 100));
  return `${words.reached(String(entered))} · ${words.stop(share)}`;
}

type BoxNode = Node<BoxData, "flow">;

function sameBox(a: BoxNode, b: BoxNode): boolean {
  const x = a.data;
  const y = b.data;
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    x.nodeType === y.nodeType &&
    x.firstLine === y.firstLine &&
    x.isStart === y.isStart &&
    x.errors === y.errors &&
    x.warnings === y.warnings &&
    x.highlighted === y.highlighted &&
    x.funnel === y.funnel &&
    x.lang === y.lang &&
    x.outlets.length === y.outlets.length &&
    x.outlets.every((outlet, index) => outlet.pointer === y.outlets[index]?.pointer && outlet.label === y.outlets[index]?.label)
  );
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

const newBox = { width: 230, height: 110 };

/** The first place at or below `wanted` (then to the right) where a new box covers no other box. */
export function freeSpot(nodes: readonly Pick<Node, "position" | "measured">[], wanted: Position): Position {
  const overlaps = (spot: Position) =>
    nodes.some((node) => {
      const width = node.measured?.width ?? newBox.width;
      const height = node.measured?.height ?? newBox.height;
      return spot.x < node.position.x + width + 10 && node.position.x < spot.x + newBox.width + 10 && spot.y < node.position.y + height + 10 && node.position.y < spot.y + newBox.height + 10;
    });
  for (let column = 0; column < 6; column++) {
    for (let row = 0; row < 4; row++) {
      const spot = { x: wanted.x + column * (newBox.width + 30), y: wanted.y + row * (newBox.height + 30) };
      if (!overlaps(spot)) return spot;
    }
  }
  return wanted;
}

/** The palette: drag a step onto the canvas, or click it (or press Enter) to place it in the middle of the view. */
export function Palette({ lang, onAdd }: { lang: UiLanguage; onAdd(type: NodeType, position: Position): void }) {
  const flow = useReactFlow();
  const addInView = (type: NodeType) => {
    const pane = document.querySelector(".canvas")?.getBoundingClientRect();
    const centre = pane ? flow.screenToFlowPosition({ x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 }) : { x: 0, y: 0 };
    onAdd(type, freeSpot(flow.getNodes(), { x: Math.round(centre.x - 110), y: Math.round(centre.y - 50) }));
  };
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(dragType, type);
    event.dataTransfer.effectAllowed = "move";
  };
  return (
    <section className="palette" aria-label={t(lang, "palette")}>
      <div className="palette-title">{t(lang, "palette")}</div>
      {allNodeTypes.map((type) => (
        <button
          type="button"
          key={type}
          className="palette-item"
          draggable
          data-testid={`palette-${type}`}
          onDragStart={(event) => onDragStart(event, type)}
          onClick={() => addInView(type)}
          title={nodePresentations[type].description[lang]}
          style={{ borderLeftColor: nodePresentations[type].color }}
        >
          <span aria-hidden="true">{nodePresentations[type].icon}</span> {nodePresentations[type].title[lang]}
        </button>
      ))}
    </section>
  );
}

const directions: Record<string, MessageKey> = { up: "directionUp", down: "directionDown", left: "directionLeft", right: "directionRight" };

/** React Flow's texts (its defaults are English) from the app's catalog. */
function canvasAriaLabels(lang: UiLanguage): Partial<AriaLabelConfig> {
  return {
    "node.a11yDescription.default": t(lang, "canvasNodeHelp"),
    "node.a11yDescription.keyboardDisabled": t(lang, "canvasNodeHelpKeyboard"),
    "node.a11yDescription.ariaLiveMessage": ({ direction, x, y }) => t(lang, "canvasNodeMoved", { direction: directions[direction] ? t(lang, directions[direction]) : direction, x, y }),
    "edge.a11yDescription.default": t(lang, "canvasEdgeHelp"),
    "controls.ariaLabel": t(lang, "canvasControls"),
    "controls.zoomIn.ariaLabel": t(lang, "canvasZoomIn"),
    "controls.zoomOut.ariaLabel": t(lang, "canvasZoomOut"),
    "controls.fitView.ariaLabel": t(lang, "canvasFitView"),
    "controls.interactive.ariaLabel": t(lang, "canvasLock"),
    "minimap.ariaLabel": t(lang, "canvasMiniMap"),
    "handle.ariaLabel": t(lang, "canvasHandle"),
  };
}

export function FlowCanvas(props: FlowCanvasProps) {
  const { canvas, autoPositions, counts, highlight, lang, onEdit, onSelect, focus, selectedId, routes, funnel } = props;
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<BoxNode[]>([]);
  const previous = useRef(new Map<string, BoxNode>());
  const appliedSelection = useRef<string | undefined>(undefined);

  useEffect(() => {
    setNodes((current) => {
      const currentlySelected = new Set(current.filter((node) => node.selected).map((node) => node.id));
      // A node chosen elsewhere (a problem, the consent fix) becomes the canvas selection once.
      const chosenElsewhere = selectedId !== appliedSelection.current && selectedId !== undefined && !currentlySelected.has(selectedId);
      appliedSelection.current = selectedId;
      const selected = chosenElsewhere ? new Set([selectedId]) : currentlySelected;
      const cache = previous.current;
      const next = canvas.nodes.map((node): BoxNode => {
        const count = counts.get(node.id);
        const built: BoxNode = {
          id: node.id,
          type: "flow",
          position: node.position ?? autoPositions.get(node.id) ?? { x: 0, y: 0 },
          data: {
            ...node.data,
            lang,
            errors: count?.errors ?? 0,
            warnings: count?.warnings ?? 0,
            highlighted: highlight?.nodes.has(node.id) ?? false,
            funnel: funnel ? funnelText(funnel, node.id, node.data.outlets.length > 0, lang) : undefined,
          },
          selected: selected.has(node.id),
        };
        const old = cache.get(node.id);
        // Unchanged boxes keep their object, so React Flow skips re-rendering them.
        return old && old.selected === built.selected && sameBox(old, built) ? old : built;
      });
      previous.current = new Map(next.map((node) => [node.id, node]));
      // Nothing changed on the canvas (e.g. a text typed that is not the first line): keep the array.
      return sameItems(current, next) ? current : next;
    });
  }, [canvas, autoPositions, counts, highlight, lang, selectedId, funnel]);

  // React Flow's own texts for screen readers and its buttons' tooltips, in the UI's language.
  const ariaLabels = useMemo(() => canvasAriaLabels(lang), [lang]);
  const large = canvas.nodes.length > 200;
  // The minimap draws every box and redraws on each edit: for large flows it starts hidden (▦ shows it).
  const [miniMap, setMiniMap] = useState(!large);
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const edgeCache = useRef(new Map<string, Edge>());
  const previousEdges = useRef<Edge[]>([]);
  const edges = useMemo<Edge[]>(() => {
    const cache = edgeCache.current;
    // Screen readers name a connection by its steps in words, not by their ids.
    const boxes = new Map(canvas.nodes.map((node) => [node.id, node.data]));
    const spoken = (id: string) => {
      const box = boxes.get(id);
      const title = box && box.nodeType !== "unknown" ? nodePresentations[box.nodeType].title[lang] : id;
      const [open, close] = lang === "de" ? ["„", "“"] : ["“", "”"];
      return box?.firstLine ? `${title} ${open}${box.firstLine.slice(0, 60)}${close}` : title;
    };
    let most = 1;
    if (funnel) for (const count of funnel.branches.values()) if (typeof count === "number") most = Math.max(most, count);
    const next = canvas.edges.map((edge) => {
      const taken = funnel?.branches.get(`${edge.source}>${edge.target}`);
      // Thickness by how many took the way: 1.5 px for none or "<5", up to 12 px for the most taken.
      const width = funnel ? (typeof taken === "number" ? 1.5 + (10.5 * taken) / most : 1.5) : undefined;
      const label = funnel ? String(taken ?? 0) : undefined;
      const highlighted = highlight?.edges.has(edge.id) ?? false;
      const className = `edge-${edge.data.kind}${highlighted ? " highlighted" : ""}`;
      const selected = selectedEdges.has(edge.id);
      const route = routes.get(edge.id);
      const ariaLabel = t(lang, "canvasEdge", { from: spoken(edge.source), to: spoken(edge.target) });
      const old = cache.get(edge.id);
      // Unchanged edges keep their object, so React Flow skips them.
      if (old && old.target === edge.target && old.className === className && old.selected === selected && old.data?.route === route && old.label === label && old.style?.strokeWidth === width && old.ariaLabel === ariaLabel) return old;
      const colour = markerColours[edge.data.kind];
      // With numbers, the arrowhead keeps its size however thick the edge is drawn.
      const markerEnd = { type: MarkerType.ArrowClosed, width: 18, height: 18, ...(colour ? { color: colour } : {}), ...(width === undefined ? {} : { markerUnits: "userSpaceOnUse" }) };
      return {
        ...edge,
        type: "routed",
        data: route ? { ...edge.data, route } : edge.data,
        markerEnd,
        className,
        animated: highlighted,
        selected,
        ariaLabel,
        ...(width === undefined ? {} : { style: { strokeWidth: width }, label, labelShowBg: true }),
      };
    });
    edgeCache.current = new Map(next.map((edge) => [edge.id, edge]));
    // The same array when no edge changed, so React Flow does not rebuild its connection index.
    if (sameItems(previousEdges.current, next)) return previousEdges.current;
    previousEdges.current = next;
    return next;
  }, [canvas, highlight, selectedEdges, routes, funnel, lang]);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const change of changes) {
        if (change.type === "select") {
          if (change.selected) next.add(change.id);
          else next.delete(change.id);
        } else if (change.type === "remove") next.delete(change.id);
      }
      return next;
    });
  }, []);

  // Positions computed by the auto-layout arrive after the first render: fit the view to them once.
  const fittedToAutoLayout = useRef(false);
  useEffect(() => {
    if (fittedToAutoLayout.current || autoPositions.size === 0 || large) return;
    fittedToAutoLayout.current = true;
    // After React Flow has placed and measured the boxes at their new positions.
    const timer = setTimeout(() => void flow.fitView({ maxZoom: 1 }), 100);
    return () => clearTimeout(timer);
  }, [autoPositions, flow, large]);

  useEffect(() => {
    if (!focus) return;
    const node = flow.getNode(focus.id);
    if (node) void flow.setCenter(node.position.x + 110, node.position.y + 45, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
  }, [focus, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BoxNode>[]) => {
      setNodes((current) => {
        const next = applyNodeChanges(changes, current);
        previous.current = new Map(next.map((node) => [node.id, node]));
        return next;
      });
      // A step selected by keyboard (focus, then Enter) opens in the side panel like a click.
      const selected = changes.filter((change) => change.type === "select" && change.selected);
      if (selected.length === 1 && selected[0]?.type === "select") onSelect([selected[0].id]);
    },
    [onSelect],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: BoxNode, dragged: BoxNode[]) => {
      onEdit((doc) => {
        for (const node of dragged) moveNode(doc, node.id, node.position);
      });
    },
    [onEdit],
  );

  const onConnect: OnConnect = useCallback(
    (connection: Connection) => {
      if (!connection.sourceHandle || connection.source === null || connection.target === null) return;
      const { source, sourceHandle, target } = connection;
      onEdit((doc) => connect(doc, source, sourceHandle, target));
    },
    [onEdit],
  );

  const onReconnect = useCallback(
    (old: Edge, connection: Connection) => {
      if (!connection.sourceHandle || !old.sourceHandle) return;
      const oldHandle = old.sourceHandle;
      const { source, sourceHandle, target } = connection;
      onEdit((doc) => {
        if (source !== old.source || sourceHandle !== oldHandle) disconnect(doc, old.source, oldHandle);
        connect(doc, source, sourceHandle, target);
      });
    },
    [onEdit],
  );

  const onDelete = useCallback(
    ({ nodes: removedNodes, edges: removedEdges }: { nodes: Node[]; edges: Edge[] }) => {
      const removedIds = new Set(removedNodes.map((node) => node.id));
      onEdit((doc) => {
        for (const edge of removedEdges) if (!removedIds.has(edge.source) && edge.sourceHandle) disconnect(doc, edge.source, edge.sourceHandle);
        for (const id of removedIds) deleteNode(doc, id);
      });
    },
    [onEdit],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(dragType);
      if (!(type in nodePresentations)) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      let id = "";
      onEdit((doc) => {
        id = addNode(doc, type as NodeType, { x: position.x - 110, y: position.y - 30 });
      });
      // The new step opens in the side panel, ready for its text.
      setTimeout(() => onSelect([id]), 0);
    },
    [flow, onEdit, onSelect],
  );

  const onNodeClick = useCallback((_event: unknown, node: Node) => onSelect([node.id]), [onSelect]);
  const onPaneClick = useCallback(() => onSelect([]), [onSelect]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the palette; keyboard users click palette entries instead
    <div className="canvas" onDrop={onDrop} onDragOver={(event) => event.preventDefault()} data-testid="canvas">
      <ReactFlow<BoxNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onReconnect={onReconnect}
        onDelete={onDelete}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        deleteKeyCode={["Delete", "Backspace"]}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        onlyRenderVisibleElements={large}
        minZoom={0.05}
        // Fitting a large flow would show (and render) every box at once; it opens at its start instead.
        fitView={large === false}
        fitViewOptions={{ maxZoom: 1 }}
        onInit={(instance) => {
          const start = canvas.nodes.find((node) => node.data.isStart);
          if (large && start) void instance.setCenter((start.position?.x ?? 0) + 110, (start.position?.y ?? 0) + 200, { zoom: 0.8 });
        }}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={ariaLabels}
      >
        <Background />
        <Controls>
          <ControlButton onClick={() => setMiniMap((shown) => !shown)} title={t(lang, "canvasMiniMapToggle")} aria-label={t(lang, "canvasMiniMapToggle")}>
            ▦
          </ControlButton>
        </Controls>
        {miniMap && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}
